import { Router } from 'express';
import { validate } from '../../middleware/validate';
import type { ScoreTableService } from '../../services/ranking.service';
import { scoreTableQuerySchema } from './score-table.schema';

/** GET /api/score-table: the public 一分一段表, no sign-in (only counts per score, never a student). */
export function createScoreTableRouter(deps: { scoreTables: ScoreTableService }): Router {
  const { scoreTables } = deps;
  const router = Router();

  router.get('/score-table', validate({ query: scoreTableQuerySchema }), async (req, res) => {
    res.json(await scoreTables.scoreTable({ region: req.query.region, cycleId: req.query.cycleId }));
  });

  return router;
}
