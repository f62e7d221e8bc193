import { defineCollection } from '../../server/store/store';
import type { Attendance, Matter, Meeting, Committee, Demand, DemandSource, DemandSupport, Objection, ScoreDoc, Slate } from './matters.schema';
import type { SettingsDoc } from './settings.schema';
import type { Rating } from './results.schema';
import type { DueEntry, Evidence, Plan, ProgressUpdate, Receipt, Reminder, Spending } from './plan.schema';

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

/** One plan per matter (`plan:<matterId>`): budget, spending total and milestones, read and written by id. */
export const plans = defineCollection<Plan>({ name: 'matters_plans', indexes: [] });

/** Spending entries of a matter, newest first (`spend:<matterId>:<requestId>`). */
export const spendings = defineCollection<Spending>({ name: 'matters_spendings', indexes: [['matterId', 'at']] });

/** Receipts filed (`receipt:<fileId>`): by id only. */
export const receipts = defineCollection<Receipt>({ name: 'matters_receipts', indexes: [] });

/** A matter's timeline, newest first (`upd:<matterId>:<requestId>`). */
export const progressUpdates = defineCollection<ProgressUpdate>({ name: 'matters_updates', indexes: [['matterId', 'at']] });

/** Open milestones by due day and by start day: the daily reminders and starts (a day's are few). */
export const dueEntries = defineCollection<DueEntry>({ name: 'matters_due', indexes: ['due', 'start'] });

/** Reminders sent (`remind:<matterId>:<milestoneId>:<day>`): by id only. */
export const reminders = defineCollection<Reminder>({ name: 'matters_reminders', indexes: [] });

/** Photos that marked a milestone done (`evidence:<fileId>`): by id only. */
export const evidence = defineCollection<Evidence>({ name: 'matters_evidence', indexes: [] });
