import { Router } from 'express';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import type { HomeService } from '../../services/home.service';

/** GET /api/<role>/home for each role: authenticate -> the one role allowed -> the service. */
export function createHomeRouter(deps: { homes: HomeService; authenticate: Authenticate }): Router {
  const { homes, authenticate } = deps;
  const router = Router();

  router.get('/student/home', authenticate(), permit('home.student'), async (req, res) => {
    res.json(await homes.studentHome(currentUser(req)));
  });

  router.get('/junior/home', authenticate(), permit('home.junior'), async (req, res) => {
    res.json(await homes.juniorHome(currentUser(req)));
  });

  router.get('/high/home', authenticate(), permit('home.high'), async (req, res) => {
    res.json(await homes.highHome(currentUser(req)));
  });

  router.get('/bureau/home', authenticate(), permit('home.bureau'), async (req, res) => {
    res.json(await homes.bureauHome(currentUser(req)));
  });

  router.get('/auditor/home', authenticate(), permit('home.auditor'), async (req, res) => {
    res.json(await homes.auditorHome(currentUser(req)));
  });

  return router;
}
