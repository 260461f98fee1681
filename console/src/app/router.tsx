import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Center, Loader } from '@mantine/core';
import { accessToken, mayRestoreSession } from '../lib/auth/session';
import { useSession } from '../features/auth/api/use-session';
import { SignInPage } from '../features/auth/pages/sign-in-page';
import { SignInCallbackPage } from '../features/auth/pages/sign-in-callback-page';
import { MembersPage } from '../features/members/pages/members-page';
import { Home, RequireOrgAdmin, RequirePlatformAdmin, Shell } from './shell';

// The pages a first visit needs (sign-in, members) are in the entry chunk; the rest load on first use.
const MemberPage = lazy(() => import('../features/members/pages/member-page').then((m) => ({ default: m.MemberPage })));
const AccountPage = lazy(() =>
  import('../features/account/pages/account-page').then((m) => ({ default: m.AccountPage })),
);
const InvitationsPage = lazy(() =>
  import('../features/invitations/pages/invitations-page').then((m) => ({ default: m.InvitationsPage })),
);
const JoinRequestsPage = lazy(() =>
  import('../features/join-requests/pages/join-requests-page').then((m) => ({ default: m.JoinRequestsPage })),
);
const AcceptInvitationPage = lazy(() =>
  import('../features/public/pages/accept-invitation-page').then((m) => ({ default: m.AcceptInvitationPage })),
);
const PasswordResetPage = lazy(() =>
  import('../features/public/pages/password-reset-page').then((m) => ({ default: m.PasswordResetPage })),
);
const ForgotPasswordPage = lazy(() =>
  import('../features/public/pages/forgot-password-page').then((m) => ({ default: m.ForgotPasswordPage })),
);
const EmailConfirmationPage = lazy(() =>
  import('../features/public/pages/email-confirmation-page').then((m) => ({ default: m.EmailConfirmationPage })),
);
const TeamsPage = lazy(() => import('../features/teams/pages/teams-page').then((m) => ({ default: m.TeamsPage })));
const AuditLogPage = lazy(() =>
  import('../features/audit/pages/audit-log-page').then((m) => ({ default: m.AuditLogPage })),
);
const ImportPage = lazy(() => import('../features/imports/pages/import-page').then((m) => ({ default: m.ImportPage })));
const OrgsPage = lazy(() => import('../features/orgs/pages/orgs-page').then((m) => ({ default: m.OrgsPage })));
const SettingsPage = lazy(() =>
  import('../features/settings/pages/settings-page').then((m) => ({ default: m.SettingsPage })),
);

const pageLoader = (
  <Center mih="50vh">
    <Loader role="status" aria-label="Loading" />
  </Center>
);

/** Signed-in pages: restores the session from the refresh token once, else sends to sign-in. */
function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const [restoring, setRestoring] = useState(() => session === null && mayRestoreSession());
  useEffect(() => {
    if (restoring) void accessToken().finally(() => setRestoring(false));
  }, [restoring]);
  if (restoring)
    return (
      <Center mih="100vh">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

export function AppRoutes() {
  return (
    <Suspense fallback={pageLoader}>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/sign-in/callback" element={<SignInCallbackPage />} />
        <Route path="/invitations/:token" element={<AcceptInvitationPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/password-reset/:token" element={<PasswordResetPage />} />
        <Route path="/email-confirmations/:token" element={<EmailConfirmationPage />} />
        <Route
          element={
            <RequireSession>
              <Shell />
            </RequireSession>
          }
        >
          <Route index element={<Home />} />
          <Route path="/account" element={<AccountPage />} />
          <Route path="/orgs" element={<RequirePlatformAdmin />}>
            <Route index element={<OrgsPage />} />
          </Route>
          <Route path="/orgs/:orgId" element={<RequireOrgAdmin />}>
            <Route index element={<Navigate to="members" replace />} />
            <Route path="members" element={<MembersPage />} />
            <Route path="members/:userId" element={<MemberPage />} />
            <Route path="import" element={<ImportPage />} />
            <Route path="invitations" element={<InvitationsPage />} />
            <Route path="join-requests" element={<JoinRequestsPage />} />
            <Route path="teams" element={<TeamsPage />} />
            <Route path="audit-log" element={<AuditLogPage />} />
            <Route path="settings" element={<SettingsPage />} />
          </Route>
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}
