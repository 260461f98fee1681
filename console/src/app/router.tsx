import { useEffect, useState, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Center, Loader } from '@mantine/core';
import { accessToken, mayRestoreSession } from '../lib/auth/session';
import { useSession } from '../features/auth/api/use-session';
import { SignInPage } from '../features/auth/pages/sign-in-page';
import { MembersPage } from '../features/members/pages/members-page';
import { MemberPage } from '../features/members/pages/member-page';
import { AccountPage } from '../features/account/pages/account-page';
import { InvitationsPage } from '../features/invitations/pages/invitations-page';
import { JoinRequestsPage } from '../features/join-requests/pages/join-requests-page';
import { AcceptInvitationPage } from '../features/public/pages/accept-invitation-page';
import { PasswordResetPage } from '../features/public/pages/password-reset-page';
import { Home, RequireOrgAdmin, Shell } from './shell';

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
        <Loader aria-label="Loading" />
      </Center>
    );
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/invitations/:token" element={<AcceptInvitationPage />} />
      <Route path="/password-reset/:token" element={<PasswordResetPage />} />
      <Route
        element={
          <RequireSession>
            <Shell />
          </RequireSession>
        }
      >
        <Route index element={<Home />} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="/orgs/:orgId" element={<RequireOrgAdmin />}>
          <Route index element={<Navigate to="members" replace />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="members/:userId" element={<MemberPage />} />
          <Route path="invitations" element={<InvitationsPage />} />
          <Route path="join-requests" element={<JoinRequestsPage />} />
        </Route>
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
