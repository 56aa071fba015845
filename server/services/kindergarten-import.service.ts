import type { Clock } from '../clock';
import { validateRegistrySheet, type KindergartenImportRecord, type PopulationImportRecord, type RegistryImportKind } from '../domain/kindergartens';
import { dataRowCount } from '../domain/imports/rows';
import { AppError, type Lang } from '../errors';
import { sharedSheetParser, type SheetParser } from '../infra/sheet-parse-pool';
import { authorize, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import { readUploadedFile, refusal } from './import.service';

const NO_DATA_ROWS = { zh: '文件中没有数据行（只有表头），未导入任何数据', en: 'The file has no data rows (only a header); nothing was imported' };


const date = (iso: string | null) => (iso ? new Date(`${iso}T00:00:00Z`) : null);

/**
 * The registry's imports (issue 18), through the platform's import pipeline:
 * the file read in a worker thread (xlsx, or CSV in UTF-8, UTF-16 or GBK),
 * validated row by row, written all-or-nothing with one audit entry. The city
 * bureau imports any region, a county bureau only its own; not tied to the
 * admissions schedule (the registry is not a part of the year).
 */
export function createKindergartenImportService(deps: { uow: UnitOfWork<'audit' | 'importedAccounts' | 'kindergartens'>; clock: Clock; sheets?: SheetParser }) {
  const { uow, clock } = deps;
  return {
    async upload(actor: Actor, kind: RegistryImportKind, bytes: Uint8Array, ctx: { lang: Lang; requestId?: string }) {
      authorize(actor, 'kindergarten.imports.run');
      const { sheet } = await readUploadedFile(deps.sheets ?? sharedSheetParser(), bytes);
      if (!sheet || dataRowCount(sheet) === 0) throw new AppError('IMPORT_UNREADABLE', { params: NO_DATA_ROWS });
      const regions = new Set((await uow.repos.kindergartens.regions()).map((r) => r.code));
      const { records, problems } = validateRegistrySheet(kind, sheet, { regions, onlyRegion: actor.regionCode });
      if (problems.length > 0) throw refusal(problems, ctx.lang);
      const at = clock.now();
      const outcome = await uow.transaction(
        async (repos) => {
          let result: { created?: number; updated?: number } = {};
          if (kind === 'kindergartens') {
            const rows = (records as KindergartenImportRecord[]).map(({ row: _row, openedOn, rectifyBy, ...k }) => ({
              ...k,
              openedOn: date(openedOn),
              rectifyBy: date(rectifyBy),
              staff: k.staff as object[],
              fees: k.fees as object[],
              evaluations: k.evaluations as object[],
              inspections: k.inspections as object[],
            }));
            result = await repos.kindergartens.upsertWithVersions(rows, { source: 'import', createdBy: actor.id, at });
            await repos.importedAccounts.forKindergartens(rows.map((r) => r.id), at);
          } else {
            await repos.kindergartens.upsertPopulation((records as PopulationImportRecord[]).map(({ row: _row, ...p }) => p), at);
          }
          await repos.audit.record({
            actor,
            action: `import.${kind}`,
            entity: 'Import',
            entityId: null,
            after: { kind, rows: records.length, ...result },
            requestId: ctx.requestId ?? null,
            at,
          });
          return result;
        },
        { timeout: 120_000, maxWait: 10_000 },
      );
      return { status: 'done' as const, kind, imported: records.length, ...outcome };
    },
  };
}

export type KindergartenImportService = ReturnType<typeof createKindergartenImportService>;
