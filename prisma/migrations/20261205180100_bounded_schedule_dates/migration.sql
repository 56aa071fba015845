-- Schedule windows fall in the years 2000-2100 (the API's bound). A window
-- stored past the year 9999 was read back as an invalid date and made every
-- read of the cycle answer 500; clamp any such row, then let the database
-- refuse them for good.
UPDATE "CyclePhase" SET "opensAt" = LEAST(GREATEST("opensAt", '2000-01-01'), '2100-12-31 23:59:59.999'),
                        "closesAt" = LEAST(GREATEST("closesAt", '2000-01-01'), '2100-12-31 23:59:59.999')
  WHERE "opensAt" NOT BETWEEN '2000-01-01' AND '2100-12-31 23:59:59.999'
     OR "closesAt" NOT BETWEEN '2000-01-01' AND '2100-12-31 23:59:59.999';
ALTER TABLE "CyclePhase" ADD CONSTRAINT "CyclePhase_dates_in_range"
  CHECK ("opensAt" BETWEEN '2000-01-01' AND '2100-12-31 23:59:59.999' AND "closesAt" BETWEEN '2000-01-01' AND '2100-12-31 23:59:59.999');
