import { useRouter } from 'vue-router';
import { afterLoginPath, LOGIN_PATH } from '@/lib/navigation';
import { useAuthStore } from '@/stores/auth';

/**
 * Where to send a user who has just signed in (see afterLoginPath): the page
 * they were sent away from when their role may open it, else their home. A
 * composable, so the sign-in pages need not import the router module that
 * imports them.
 */
export function useAfterLoginPath(): (redirect: unknown) => string {
  const router = useRouter();
  const auth = useAuthStore();
  return (redirect) => {
    if (!auth.user) return LOGIN_PATH;
    const redirectRole = typeof redirect === 'string' && redirect.startsWith('/') ? router.resolve(redirect).meta.role : undefined;
    return afterLoginPath(
      { role: auth.user.role, mustChangePassword: auth.user.mustChangePassword, mustEnrollTotp: auth.user.mustEnrollTotp },
      redirect,
      redirectRole,
    );
  };
}
