import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { RoundService } from '../../services/round.service';
import { cycleIdQuerySchema } from '../cycles/cycles.schema';
import {
  compareQuerySchema,
  confirmationSchema,
  roundIdParamsSchema,
  startRoundSchema,
} from './rounds.schema';

/** Allocation rounds: start, progress, compare, publish, bundle, confirmations, 补录 (see rounds.schema.ts). */
export function createRoundsRouter(deps: { rounds: RoundService; authenticate: Authenticate }): Router {
  const { rounds, authenticate } = deps;
  const router = Router();
  const readers = [authenticate(), permit('round.read')];

  router.post('/rounds', authenticate(), permit('round.start'), validate({ body: startRoundSchema }), async (req, res) => {
    res.status(202).json(await rounds.start(currentUser(req), { ...req.body, requestId: req.requestId }));
  });

  router.get('/rounds', ...readers, validate({ query: cycleIdQuerySchema }), async (req, res) => {
    res.json({ rounds: await rounds.list(currentUser(req), req.query.cycleId) });
  });

  router.get('/rounds/compare', ...readers, validate({ query: compareQuerySchema }), async (req, res) => {
    res.json(await rounds.compare(currentUser(req), req.query.a, req.query.b));
  });

  router.get('/rounds/supplementary/seats', authenticate(), permit('supplementary.seats.read'), async (req, res) => {
    res.json(await rounds.supplementarySeats(currentUser(req)));
  });

  router.get('/rounds/:id', ...readers, validate({ params: roundIdParamsSchema }), async (req, res) => {
    res.json(await rounds.get(currentUser(req), req.params.id));
  });

  router.post('/rounds/:id/publish', authenticate(), permit('round.publish'), validate({ params: roundIdParamsSchema }), async (req, res) => {
    const outcome = await rounds.publish(currentUser(req), req.params.id, req.requestId);
    // Four eyes: a first approval is recorded, the publication waits for another city-bureau account.
    res.status('status' in outcome && outcome.status === 'awaiting_approval' ? 202 : 200).json(outcome);
  });

  router.get('/rounds/:id/bundle', authenticate(), permit('round.bundle.read'), validate({ params: roundIdParamsSchema }), async (req, res) => {
    const bundle = await rounds.bundle(currentUser(req), req.params.id);
    // Streamed as stored: a province's bundle is hundreds of MB (a failure part-way cuts the download short).
    res.type('application/json; charset=utf-8').attachment(bundle.filename);
    await pipeline(Readable.from(bundle.pieces, { objectMode: false }), res);
  });

  router.get('/rounds/:id/cutoffs', authenticate(), permit('round.cutoffs.read'), validate({ params: roundIdParamsSchema }), async (req, res) => {
    res.json(await rounds.cutoffs(currentUser(req), req.params.id));
  });

  router.post(
    '/rounds/:id/confirmations',
    authenticate(),
    permit('round.confirm'),
    validate({ params: roundIdParamsSchema, body: confirmationSchema }),
    async (req, res) => {
      res.json(await rounds.confirm(currentUser(req), req.params.id, req.body.decision));
    },
  );

  router.get('/rounds/:id/confirmations', ...readers, validate({ params: roundIdParamsSchema }), async (req, res) => {
    res.json(await rounds.confirmationSummary(currentUser(req), req.params.id));
  });

  return router;
}
