import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteRecordRaw } from 'vue-router';
import { useAuthStore } from '@/stores/auth';
import { decideNavigation, LOGIN_PATH, PASSWORD_PATH } from '@/lib/navigation';
import type { Role } from '@/lib/roles';
import { admissionsKey, FIRST_ADMISSION_QUERY, highApi } from '@/api/school-portals';
import { prefetch, schoolHint } from '@/lib/prefetch';
import { cycleIdFromQuery } from '@/lib/year-query';
import LoginView from '@/views/LoginView.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** The only role that may open this page. */
    role?: Role;
    /** Open without signing in. */
    public?: boolean;
    /** Open to everyone, signed in or not (the public kindergarten register). */
    anyone?: boolean;
    /** Starts the page's first request while the session is restored (lib/prefetch.ts); only with a saved token. */
    prefetch?: (to: RouteLocationNormalized) => void;
  }
}

/** The largest school's list is the slowest first page: its first rows are asked for beside me(). */
function prefetchAdmissions(to: RouteLocationNormalized): void {
  const school = schoolHint();
  if (!school) return;
  const cycleId = cycleIdFromQuery(to.query);
  prefetch(admissionsKey(school, FIRST_ADMISSION_QUERY, cycleId), () => highApi.admissions(school, FIRST_ADMISSION_QUERY, undefined, cycleId));
}

/*
 * The login page is in the entry bundle, because it is the first page
 * everyone sees, often on a phone. Everything behind login is a dynamic
 * import, so the role pages (and the charts they will carry) are fetched
 * only by those who reach them.
 */
const routes: RouteRecordRaw[] = [
  { path: LOGIN_PATH, name: 'login', component: LoginView, meta: { public: true } },
  { path: '/activate', name: 'activate', component: () => import('@/views/ActivateView.vue'), meta: { public: true } },
  { path: '/complaint', name: 'complaint', component: () => import('@/views/ComplaintView.vue'), meta: { public: true } },
  { path: '/score-table', name: 'score-table', component: () => import('@/views/ScoreTableView.vue'), meta: { anyone: true } },
  { path: '/receipts/verify', name: 'receipt-verify', component: () => import('@/views/ReceiptVerifyView.vue'), meta: { anyone: true } },
  { path: '/kindergartens', name: 'kindergartens', component: () => import('@/views/kindergarten/KindergartenListView.vue'), meta: { anyone: true } },
  { path: '/kindergartens/:id', name: 'kindergarten-record', component: () => import('@/views/kindergarten/KindergartenDetailView.vue'), meta: { anyone: true } },
  {
    path: '/',
    component: () => import('@/components/AppLayout.vue'),
    children: [
      { path: '', name: 'root', component: { render: () => null } },
      { path: PASSWORD_PATH.slice(1), name: 'password', component: () => import('@/views/ChangePasswordView.vue') },
      { path: 'student', name: 'student', component: () => import('@/views/student/StudentHomeView.vue'), meta: { role: 'student' } },
      { path: 'student/choices', name: 'student-choices', component: () => import('@/views/student/StudentChoicesView.vue'), meta: { role: 'student' } },
      { path: 'student/result', name: 'student-result', component: () => import('@/views/student/StudentResultView.vue'), meta: { role: 'student' } },
      { path: 'student/history', name: 'student-history', component: () => import('@/views/student/StudentHistoryView.vue'), meta: { role: 'student' } },
      { path: 'junior', name: 'junior', component: () => import('@/views/junior/JuniorHomeView.vue'), meta: { role: 'junior' } },
      { path: 'junior/status', name: 'junior-status', component: () => import('@/views/junior/JuniorStatusView.vue'), meta: { role: 'junior' } },
      { path: 'junior/accounts', name: 'junior-accounts', component: () => import('@/views/junior/JuniorAccountsView.vue'), meta: { role: 'junior' } },
      { path: 'high', name: 'high', component: () => import('@/views/high/HighHomeView.vue'), meta: { role: 'high' } },
      { path: 'high/plan', name: 'high-plan', component: () => import('@/views/high/HighPlanView.vue'), meta: { role: 'high' } },
      { path: 'high/admissions', name: 'high-admissions', component: () => import('@/views/high/HighAdmissionsView.vue'), meta: { role: 'high', prefetch: prefetchAdmissions } },
      { path: 'high/registration', name: 'high-registration', component: () => import('@/views/high/HighRegistrationView.vue'), meta: { role: 'high' } },
      { path: 'bureau', name: 'bureau', component: () => import('@/views/bureau/BureauHomeView.vue'), meta: { role: 'bureau' } },
      { path: 'bureau/rounds', name: 'bureau-rounds', component: () => import('@/views/bureau/RoundsView.vue'), meta: { role: 'bureau' } },
      { path: 'bureau/setup', name: 'bureau-setup', component: () => import('@/views/bureau/BureauSetupView.vue'), meta: { role: 'bureau' } },
      { path: 'bureau/accounts', name: 'bureau-accounts', component: () => import('@/views/bureau/BureauAccountsView.vue'), meta: { role: 'bureau' } },
      { path: 'bureau/security', name: 'bureau-security', component: () => import('@/views/bureau/BureauSecurityView.vue'), meta: { role: 'bureau' } },
      { path: 'auditor', name: 'auditor', component: () => import('@/views/auditor/AuditorHomeView.vue'), meta: { role: 'auditor' } },
      { path: 'bureau/flags', name: 'bureau-flags', component: () => import('@/views/bureau/FlagsView.vue'), meta: { role: 'bureau' } },
      { path: 'bureau/dashboard', name: 'bureau-dashboard', component: () => import('@/views/bureau/DashboardView.vue'), meta: { role: 'bureau' } },
      { path: 'auditor/flags', name: 'auditor-flags', component: () => import('@/views/auditor/AuditorFlagsView.vue'), meta: { role: 'auditor' } },
      { path: 'auditor/dashboard', name: 'auditor-dashboard', component: () => import('@/views/auditor/AuditorDashboardView.vue'), meta: { role: 'auditor' } },
      { path: 'kindergarten', name: 'kindergarten', component: () => import('@/views/kindergarten/KgHomeView.vue'), meta: { role: 'kindergarten' } },
      { path: 'kindergarten/filing', name: 'kindergarten-filing', component: () => import('@/views/kindergarten/KgFilingView.vue'), meta: { role: 'kindergarten' } },
      { path: 'kindergarten/filings', name: 'kindergarten-filings', component: () => import('@/views/kindergarten/KgFilingsView.vue'), meta: { role: 'kindergarten' } },
      { path: 'bureau/kindergarten-filings', name: 'bureau-kindergarten-filings', component: () => import('@/views/kindergarten/KgReviewView.vue'), meta: { role: 'bureau' } },
      { path: 'auditor/audit', name: 'auditor-audit', component: () => import('@/views/auditor/AuditLogView.vue'), meta: { role: 'auditor' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue') },
    ],
  },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  const auth = useAuthStore();
  // The page's code loads while the session is restored, not after it (the loaders are cached: the router's own call reuses them).
  for (const record of to.matched) {
    const load = record.components?.default;
    const lazy = typeof load === 'function' && !('displayName' in load) && !('props' in load) && !('__vccOpts' in load);
    if (lazy) void (load as () => Promise<unknown>)().catch(() => undefined);
  }
  if (auth.token && !auth.user) to.meta.prefetch?.(to);
  try {
    await auth.restore();
  } catch {
    // The server cannot be reached: the login page shows the error when tried.
  }
  const user = auth.user;
  return decideNavigation(user && { role: user.role, mustChangePassword: user.mustChangePassword, mustEnrollTotp: user.mustEnrollTotp }, {
    path: to.path,
    fullPath: to.fullPath,
    role: to.meta.role,
    public: to.meta.public,
    anyone: to.meta.anyone,
  });
});

