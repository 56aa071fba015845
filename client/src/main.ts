import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { START_LOCATION } from 'vue-router';
import App from './App.vue';
import { router } from './router';
import { i18n, currentLocale, syncDocument } from './i18n';
import { configureApiClient } from './api/client';
import { useAuthStore } from './stores/auth';
import { LOGIN_PATH } from './lib/navigation';
import './styles/base.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia).use(i18n);

const auth = useAuthStore(pinia);
configureApiClient({
  token: () => auth.token,
  locale: currentLocale,
  networkErrorMessage: () => i18n.global.t('errors.network'),
  unexpectedErrorMessage: (status) => i18n.global.t('errors.unexpected', { status }),
  refreshSession: (expiredToken) => auth.refreshSession(expiredToken),
  onUnauthorized: () => {
    auth.sessionEnded();
    const current = router.currentRoute.value;
    // On the first navigation the router guard sends the visitor to login itself.
    if (current !== START_LOCATION && !current.meta.public) {
      void router.replace({ path: LOGIN_PATH, query: { redirect: current.fullPath, expired: '1' } });
    }
  },
});

syncDocument();
app.use(router);
void router.isReady().then(() => app.mount('#app'));
