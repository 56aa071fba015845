-- One published round per cycle and kind (main, supplementary): the check in the
-- publish use case runs before its transaction, so concurrent requests could
-- both pass it. The database now refuses the second publication; simulations
-- are never published. Not expressible in schema.prisma (partial index).
CREATE UNIQUE INDEX "Round_one_published_per_cycle_kind" ON "Round" ("cycleId", "kind") WHERE "status" = 'published';
