import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { loadConfig } from '../../../lib/config';
import { globalSignOut } from '../../../lib/auth/cognito';
import { endSession, sessionTokens } from '../../../lib/auth/session';

/** Signs out everywhere (Cognito GlobalSignOut), forgets the tokens and every cached answer. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    const tokens = sessionTokens();
    // Signing out locally must not depend on the network: the tokens are dropped either way.
    if (tokens) await globalSignOut(await loadConfig(), tokens.accessToken).catch(() => undefined);
    // Leave the signed-in pages first, so the next sign-in starts at home, not where this one ended.
    void navigate('/sign-in', { replace: true });
    endSession();
    queryClient.clear();
  };
}
