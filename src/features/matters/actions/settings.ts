/**
 * A city's rules of 四议两公开: quorum and majority, 公示 days, the yearly cap and the 微实事立办 limit.
 * One document per city; without one the campaign's defaults apply. Procedure and fast-track actions read
 * the effective rules before their transaction (a by-id read), so a change applies from the next write.
 */
import { AppError, forbidden } from '../../../lib/errors';
import type { AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import type { Store, Stored } from '../../../server/store/store';
import { ancestry, getRegion, regionPath } from '../../regions/regions.service';
import { procedureSettings } from '../matters.collections';
import { configRefusal, DEFAULT_CONFIG, type ProcedureConfig } from '../matters.rules';
import type { mattersContract } from '../matters.schema';
import type { SettingsDoc, SettingsView } from '../settings.schema';

export const SettingsErrors = { NOT_A_CITY: 'MATTERS.NOT_A_CITY', BAD_SETTINGS: 'MATTERS.BAD_SETTINGS' } as const;

export const settingsId = (cityId: string): string => `settings:${cityId}`;

/** A copy, so no caller can change the defaults by accident. */
const defaults = (): ProcedureConfig => structuredClone(DEFAULT_CONFIG);

async function cityConfig(store: Store, cityId: string): Promise<{ config: ProcedureConfig; doc: Stored<SettingsDoc> | null }> {
  const doc = cityId ? await store.collection(procedureSettings).get(settingsId(cityId)) : null;
  return { config: doc?.config ?? defaults(), doc };
}

/** The rules in force for a community (or any region): its city's settings, else the defaults. */
export async function procedureConfig(store: Store, regionId: string): Promise<ProcedureConfig> {
  return (await cityConfig(store, (await ancestry(store, regionId)).idOf('city'))).config;
}

const view = (cityId: string, cityName: string, doc: Stored<SettingsDoc> | null): SettingsView => ({
  cityId,
  cityName,
  settings: doc?.config ?? defaults(),
  isDefault: !doc,
  defaults: defaults(),
  updatedAt: doc?.updatedAt ?? null,
});

export const settingsActions = {
  getProcedureSettings: {
    // Anyone with a role somewhere in the city: checked below, as a region scope only covers grants above it.
    roles: 'signed-in',
    async run(input, ctx) {
      const cityId = (await ancestry(ctx.store, input.regionId)).idOf('city');
      const grants = ctx.caller.member?.grants ?? [];
      const inCity = cityId ? await Promise.all(grants.map(async (g) => (await regionPath(ctx.store, g.regionId))?.includes(cityId) ?? false)) : [];
      if (!inCity.some(Boolean)) throw forbidden('您不在该市的社区或机构中，不能查看它的议事规则');
      const [city, { doc }] = await Promise.all([getRegion(ctx.store, cityId), cityConfig(ctx.store, cityId)]);
      return view(cityId, city?.name ?? '', doc);
    },
  },

  setProcedureSettings: {
    roles: ['city_admin'],
    scope: (input) => input.cityId,
    async run(input, ctx) {
      const city = await getRegion(ctx.store, input.cityId);
      if (city?.kind !== 'city') throw new AppError(SettingsErrors.NOT_A_CITY, '议事规则按市设置，请选择一个市');
      // The schema checked each bound; the rules say it again for anything the schema cannot see.
      const refusal = configRefusal(input.settings);
      if (refusal) throw new AppError(refusal.code, refusal.message);
      const id = settingsId(city._id);
      const saved = await withRetry(
        () =>
          ctx.store.transaction(async (tx) => {
            const prev = await tx.collection(procedureSettings).get(id);
            const doc = { cityId: city._id, config: input.settings, updatedAt: ctx.now().toISOString(), updatedBy: ctx.caller.member!._id };
            return prev ? tx.collection(procedureSettings).update(id, prev._rev, doc) : tx.collection(procedureSettings).insert(doc, { id });
          }),
        { duplicates: true },
      );
      return view(city._id, city.name, saved);
    },
  },
} satisfies Partial<AreaActions<typeof mattersContract>>;
