import { useSyncExternalStore } from 'react';
import { sessionTokens, subscribeSession } from '../../../lib/auth/session';

/** The signed-in session's tokens (null when signed out); re-renders on sign-in and sign-out. */
export const useSession = () => useSyncExternalStore(subscribeSession, sessionTokens);
