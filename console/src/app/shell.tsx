import { AppShell, Button, Center, Group, Loader, NavLink, Select, Stack, Text, Title } from '@mantine/core';
import { Suspense } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { QueryState } from '../components/ui/query-state';
import { isOrgAdmin, useMe, type Me } from '../features/me/api/me';
import { useSignOut } from '../features/auth/api/use-sign-out';

/** The admin pages of an org, in the order of the navigation. */
export const ORG_ADMIN_PAGES = [
  { path: 'members', label: 'Members' },
  { path: 'invitations', label: 'Invitations' },
  { path: 'join-requests', label: 'Join requests' },
  { path: 'teams', label: 'Teams' },
  { path: 'audit-log', label: 'Audit log' },
  { path: 'settings', label: 'Settings' },
] as const;

function OrgSwitcher({ me, orgId }: { me: Me; orgId: string | undefined }) {
  const navigate = useNavigate();
  const data = me.memberships.map((m) => ({ value: m.orgId, label: m.orgName ?? m.orgId }));
  if (data.length === 0) return null;
  return (
    <Select
      label="Organization"
      data={data}
      value={orgId ?? null}
      placeholder="Choose an organization"
      allowDeselect={false}
      onChange={(value) => value && navigate(homeOf(me, value))}
      w={240}
    />
  );
}

/** Where a person lands in an org: its members page for an admin, their account otherwise. */
export function homeOf(me: Me, orgId?: string): string {
  const membership = me.memberships.find((m) => m.orgId === orgId) ?? me.memberships.find((m) => isOrgAdmin(m));
  if (membership && isOrgAdmin(membership)) return `/orgs/${membership.orgId}/members`;
  if (me.isPlatformAdmin) return '/orgs';
  return '/account';
}

function Navigation({ me, orgId }: { me: Me; orgId: string | undefined }) {
  const { pathname } = useLocation();
  const membership = me.memberships.find((m) => m.orgId === orgId);
  const links: { to: string; label: string }[] = [];
  if (orgId && isOrgAdmin(membership))
    links.push(...ORG_ADMIN_PAGES.map((page) => ({ to: `/orgs/${orgId}/${page.path}`, label: page.label })));
  links.push({ to: orgId ? `/account?org=${orgId}` : '/account', label: 'Account' });
  if (me.isPlatformAdmin) links.push({ to: '/orgs', label: 'Orgs' });
  return (
    <nav aria-label="Main">
      <Stack gap={2}>
        {links.map((link) => {
          const active = pathname === link.to.split('?')[0] || pathname.startsWith(`${link.to.split('?')[0]}/`);
          // Filled: the light variant's text falls under 4.5:1 while hovered.
          return (
            <NavLink
              key={link.to}
              component={Link}
              to={link.to}
              label={link.label}
              active={active}
              variant="filled"
              aria-current={active ? 'page' : undefined}
            />
          );
        })}
      </Stack>
    </nav>
  );
}

/** The signed-in frame: header with the org switcher and sign-out, the navigation, the page. */
export function Shell() {
  const me = useMe();
  const { orgId } = useParams();
  const search = new URLSearchParams(useLocation().search);
  const signOut = useSignOut();
  const currentOrg = orgId ?? search.get('org') ?? undefined;
  return (
    <AppShell header={{ height: 72 }} navbar={{ width: 220, breakpoint: 'sm' }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Title order={2} size="h3">
              Roster
            </Title>
            {me.data && <OrgSwitcher me={me.data} orgId={currentOrg} />}
          </Group>
          <Group>
            {me.data?.user && <Text size="sm">{me.data.user.email}</Text>}
            <Button variant="default" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">{me.data && <Navigation me={me.data} orgId={currentOrg} />}</AppShell.Navbar>
      <AppShell.Main>
        <QueryState query={me}>
          {() => (
            // A page loading on first use keeps the shell on screen.
            <Suspense
              fallback={
                <Center p="lg">
                  <Loader role="status" aria-label="Loading" />
                </Center>
              }
            >
              <Outlet />
            </Suspense>
          )}
        </QueryState>
      </AppShell.Main>
    </AppShell>
  );
}

/** `/`: the person's home once /v1/me is known. */
export function Home() {
  const me = useMe();
  return <QueryState query={me}>{(data) => <Navigate to={homeOf(data)} replace />}</QueryState>;
}

/** An org's admin pages: a plain member (or a stranger) is sent to their account instead. */
export function RequireOrgAdmin() {
  const me = useMe();
  const { orgId } = useParams();
  return (
    <QueryState query={me}>
      {(data) =>
        isOrgAdmin(data.memberships.find((m) => m.orgId === orgId)) ? <Outlet /> : <Navigate to="/account" replace />
      }
    </QueryState>
  );
}

/** The platform operator's pages (Orgs): anyone else is sent to their account instead. */
export function RequirePlatformAdmin() {
  const me = useMe();
  return (
    <QueryState query={me}>
      {(data) => (data.isPlatformAdmin ? <Outlet /> : <Navigate to="/account" replace />)}
    </QueryState>
  );
}
