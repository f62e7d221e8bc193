import { defineCollection } from '../../server/store/store';
import type { Attendance, Matter, Meeting, Committee, Demand, DemandSource, DemandSupport, Objection, ScoreDoc, Slate } from './matters.schema';
import type { SettingsDoc } from './settings.schema';
import type { Rating } from './results.schema';

/**
 * - the list: one community's open demands of a year, by supporters or newest
 * - a demand's detail: the demands merged into it (mergedInto)
 */
export const demands = defineCollection<Demand>({
  name: 'matters_demands',
  indexes: [
    ['communityId', 'year', 'status', 'supporters'],
    ['communityId', 'year', 'status', 'createdAt'],
    ['communityId', 'year', 'status', 'score'],
    'mergedInto',
  ],
});

/** One document per demand (same id): the backer tally, read and written only by id. */
export const demandSupport = defineCollection<DemandSupport>({ name: 'matters_demand_support', indexes: [] });

/** A demand's sources: its detail page and splits read them by demandId. */
export const demandSources = defineCollection<DemandSource>({ name: 'matters_demand_sources', indexes: ['demandId'] });

/** One per community and year (`slate:<community>:<year>`): read and written by id only. */
export const slates = defineCollection<Slate>({ name: 'matters_slates', indexes: [] });

/** Objections during 公示 (`obj:<slate>:<demand>:<member>`: one per resident per item), newest first per slate. */
export const objections = defineCollection<Objection>({ name: 'matters_objections', indexes: [['slateId', 'at']] });

/** One per community and year (`committee:<community>:<year>`). */
export const committees = defineCollection<Committee>({ name: 'matters_committees', indexes: [] });

/** One per scorer and demand; read by id, and by demand for the committee's view. */
export const scores = defineCollection<ScoreDoc>({ name: 'matters_scores', indexes: ['demandId'] });

/** Council meetings of a community, newest first. */
export const meetings = defineCollection<Meeting>({ name: 'matters_meetings', indexes: [['communityId', 'year', 'startsAt']] });

/** One per resident and meeting (`att:<meeting>:<member>`): a second scan counts nothing. */
export const attendance = defineCollection<Attendance>({ name: 'matters_attendance', indexes: [] });

/** The year's matters (`matter:<demandId>`): a community's board, a district's or city's lists by region. */
export const matters = defineCollection<Matter>({ name: 'matters_matters', indexes: [['communityId', 'year'], ['districtId', 'year'], ['cityId', 'year']] });

/** One per city (`settings:<cityId>`): its rules of 四议两公开; read by id only. */
export const procedureSettings = defineCollection<SettingsDoc>({ name: 'matters_settings', indexes: [] });

/**
 * Residents' ratings (`rating:<matter>:<member>`: one per resident per matter): the paged comments of a
 * matter (commented, newest first), and everyone who rated it (told at 回访).
 */
export const ratings = defineCollection<Rating>({ name: 'matters_ratings', indexes: [['matterId', 'commented', 'at'], ['matterId', 'at']] });
