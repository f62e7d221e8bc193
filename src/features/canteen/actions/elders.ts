/** Elders: applications, the roster, status changes (approval issues the card). */
import { AppError, ErrorCodes, forbidden } from '../../../lib/errors';
import { maskPhone } from '../../../lib/mask';
import { shanghaiDay } from '../../../lib/time';
import type { ActionContext, AreaActions } from '../../../server/action';
import { readOwnImport } from '../../../server/files/imports';
import { canteenKeyring, idNumberHash } from '../canteen.keys';
import { withRetry } from '../../../server/conflict-retry';
import type { Fields, TxStore, Where } from '../../../server/store/store';
import { canteens, cardLinks, elders, idKeys, meals } from '../canteen.collections';
import { ageOn, idHashKeyId, isRealDay, last4, parseIdNumber, statusError } from '../canteen.rules';
import { canteenContract, CATEGORY_LABELS, type Elder, type ElderCategory, type ElderView, type ImportRowError, MEAL_LABELS, type StatusEntry } from '../canteen.schema';
import { noteAnomaly } from './anomalies';
import { issueCard } from './cards';
import { regionPath } from '../../regions/regions.service';
import { badInput, CanteenErrors, chainOf, type ElderDoc, elderNotFound, elderScope, err, isCode, LIST_PAGE, me } from './shared';
import { createHash } from 'node:crypto';

function elderView(e: ElderDoc, today: string): ElderView {
  return {
    _id: e._id,
    name: e.name,
    gender: e.gender,
    birthDate: e.birthDate,
    age: ageOn(e.birthDate, today),
    idMasked: e.idMasked,
    communityId: e.communityId,
    categories: e.categories,
    phoneMasked: maskPhone(e.phone),
    guardian: e.guardian ? { name: e.guardian.name, phoneMasked: maskPhone(e.guardian.phone), relation: e.guardian.relation } : null,
    status: e.status,
    history: e.history,
    cardNo: e.cardNo,
    createdAt: e.createdAt,
  };
}

interface ElderInput {
  name: string;
  gender?: 'male' | 'female';
  birthDate?: string;
  idNumber?: string;
  categories: ElderCategory[];
  phone?: string;
  guardian?: { name: string; phone: string; relation: string };
}

/** Checks one elder's fields; returns the document's personal part or the problems by field. */
function checkElder(ctx: ActionContext, input: ElderInput): { ok: true; fields: Pick<Elder, 'name' | 'gender' | 'birthDate' | 'idMasked' | 'idHash' | 'categories' | 'phone' | 'phoneLast4' | 'guardian' | 'guardianLast4'> } | { ok: false; errors: { field: string; message: string }[] } {
  const errors: { field: string; message: string }[] = [];
  let birthDate = input.birthDate ?? null;
  let gender = input.gender ?? null;
  let idMasked: string | null = null;
  let idHash: string | null = null;
  if (input.idNumber) {
    const id = parseIdNumber(input.idNumber);
    if (!id.ok) errors.push({ field: 'idNumber', message: id.message });
    else {
      if (birthDate && birthDate !== id.info.birthDate) errors.push({ field: 'birthDate', message: '出生日期与身份证号不一致' });
      if (gender && gender !== id.info.gender) errors.push({ field: 'gender', message: '性别与身份证号不一致' });
      birthDate = id.info.birthDate;
      gender = id.info.gender;
      idMasked = id.info.masked;
      idHash = idNumberHash(canteenKeyring(ctx.demoMode), id.info.normalised);
    }
  }
  // A bad ID number is the one problem to report: the birth date and gender would have come from it.
  if (errors.length) return { ok: false, errors };
  if (!birthDate) errors.push({ field: 'birthDate', message: '请填写出生日期或身份证号' });
  else if (!isRealDay(birthDate) || birthDate > shanghaiDay(ctx.now()) || birthDate < '1890-01-01') errors.push({ field: 'birthDate', message: '出生日期无效' });
  if (!gender) errors.push({ field: 'gender', message: '请选择性别或填写身份证号' });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    fields: {
      name: input.name,
      gender: gender!,
      birthDate: birthDate!,
      idMasked,
      idHash,
      categories: [...new Set(input.categories)],
      phone: input.phone ?? null,
      phoneLast4: last4(input.phone),
      guardian: input.guardian ?? null,
      guardianLast4: last4(input.guardian?.phone),
    },
  };
}

const statusEntry = (ctx: ActionContext, status: Elder['status'], reason: string, by: string, day?: string): StatusEntry => ({
  status,
  at: ctx.now().toISOString(),
  day: day ?? shanghaiDay(ctx.now()),
  reason,
  by,
});

/** Inserts an elder and its ID-hash key in one transaction: a second elder with the same ID number fails. */
async function insertElder(tx: TxStore, id: string, doc: Fields<Elder>): Promise<ElderDoc> {
  if (doc.idHash) {
    try {
      await tx.collection(idKeys).insert({ elderId: id }, { id: idHashKeyId(doc.idHash) });
    } catch (e) {
      if (isCode(e, ErrorCodes.DUPLICATE)) throw err(CanteenErrors.DUPLICATE_ELDER, '该身份证号已登记过助餐');
      throw e;
    }
  }
  return tx.collection(elders).insert(doc, { id });
}

/** Applying on someone's behalf: a community admin or canteen staff member of that community (or above). */
async function staffOfCommunity(ctx: ActionContext, communityId: string): Promise<boolean> {
  const path = await regionPath(ctx.store, communityId);
  return !!path && ctx.grants.some((g) => (g.role === 'community_admin' || g.role === 'canteen_staff') && path.includes(g.regionId));
}

/** Staff label for status history: the role, never the person's name. */
const byLabel = (ctx: ActionContext): string => (ctx.grants.some((g) => g.role === 'community_admin') ? '社区管理员' : ctx.grants.some((g) => g.role === 'canteen_staff') ? '食堂工作人员' : '申请人');

function parseCategories(text: string | undefined): { ok: true; value: ElderCategory[] } | { ok: false } {
  if (!text) return { ok: true, value: [] };
  const out: ElderCategory[] = [];
  for (const part of text.split(/[、,，;；\s]+/).filter(Boolean)) {
    const hit = (Object.keys(CATEGORY_LABELS) as ElderCategory[]).find((k) => CATEGORY_LABELS[k] === part);
    if (!hit) return { ok: false };
    out.push(hit);
  }
  return { ok: true, value: out };
}

export const elderActions = {
  /** From the elder, a family member (anyone signed in: children often live elsewhere) or staff. */
  apply: {
    roles: 'signed-in',
    async run(input, ctx) {
      const today = shanghaiDay(ctx.now());
      const id = `el${createHash('sha256').update(`${ctx.caller.openid}:${input.requestId}`).digest('hex').slice(0, 24)}`;
      const again = await ctx.store.collection(elders).get(id);
      if (again) return elderView(again, today);
      if (input.applicant === 'staff') {
        const staff = ctx.grants.some((g) => g.role === 'community_admin' || g.role === 'canteen_staff');
        if (!staff || !(await staffOfCommunity(ctx, input.communityId))) throw forbidden('只有本社区的工作人员可以代为申请');
      }
      const { community, districtId, cityId } = await chainOf(ctx, input.communityId);
      const checked = checkElder(ctx, input);
      if (!checked.ok) {
        const issues = checked.errors.map((e) => ({ path: [e.field], message: e.message }));
        throw new AppError(ErrorCodes.INPUT_INVALID, checked.errors[0]!.message, issues);
      }
      const now = ctx.now().toISOString();
      const doc: Fields<Elder> = {
        ...checked.fields,
        communityId: community._id,
        districtId,
        cityId,
        status: 'applied',
        history: [statusEntry(ctx, 'applied', input.applicant === 'staff' ? '工作人员代为申请' : input.applicant === 'family' ? '家属代为申请' : '本人申请', byLabel(ctx))],
        appliedBy: input.applicant,
        applicantMemberId: ctx.caller.member?._id ?? null,
        cardNo: null,
        createdAt: now,
        updatedAt: now,
      };
      const stored = await ctx.store.transaction(async (tx) => {
        const e = await insertElder(tx, id, doc);
        // The applicant (the elder or family) may show the card on their phone once approved.
        if (input.applicant !== 'staff') {
          await tx.collection(cardLinks).insert({ openid: ctx.caller.openid, elderId: id, createdAt: now }, { id: `link:${ctx.caller.openid}:${id}` });
        }
        return e;
      });
      ctx.log.info('elder applied', { elderId: id, communityId: community._id, requestId: ctx.requestId });
      return elderView(stored, today);
    },
  },

  listElders: {
    roles: ['community_admin', 'canteen_staff'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const where: Where = input.status ? { communityId: input.communityId, status: input.status } : { communityId: input.communityId };
      const page = await ctx.store.collection(elders).find({ where, orderBy: { field: 'createdAt', direction: 'desc' }, limit: LIST_PAGE, cursor: input.cursor });
      const today = shanghaiDay(ctx.now());
      return { items: page.items.map((e) => elderView(e, today)), nextCursor: page.nextCursor };
    },
  },

  /** Approve, reject, suspend, moved, deceased, reinstate; approval issues the card. */
  setElderStatus: {
    roles: ['community_admin'],
    scope: elderScope,
    async run(input, ctx) {
      const today = shanghaiDay(ctx.now());
      const day = input.day ?? today;
      if (!isRealDay(day) || day > today) throw badInput('day', '生效日期不能晚于今天');
      const updated = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const e = await tx.collection(elders).get(input.elderId);
          if (!e) throw elderNotFound();
          const bad = statusError(e.status, input.status);
          if (bad) throw err(CanteenErrors.BAD_TRANSITION, bad);
          let next = await tx.collection(elders).update(e._id, e._rev, {
            status: input.status,
            history: [...e.history, statusEntry(ctx, input.status, input.reason, byLabel(ctx), day)],
            updatedAt: ctx.now().toISOString(),
          });
          if (input.status === 'approved' && !next.cardNo) next = await issueCard(tx, ctx, next);
          return next;
        }),
      );
      // Meals already served on or after the effective day of a move or death are flagged for review.
      if (input.status === 'moved' || input.status === 'deceased' || input.status === 'suspended') {
        const after = await ctx.store.collection(meals).find({ where: { elderId: updated._id, day: { gte: day } }, limit: 100 });
        for (const m of after.items) {
          const c = await ctx.store.collection(canteens).get(m.canteenId);
          if (c) await noteAnomaly(ctx, 'meal_after_status', updated, c, m.day, `${m.day} ${MEAL_LABELS[m.meal]}就餐，状态自 ${day} 起为“${input.status === 'moved' ? '已迁出' : input.status === 'deceased' ? '已故' : '暂停'}”`);
        }
      }
      ctx.log.info('elder status', { elderId: updated._id, status: input.status, requestId: ctx.requestId });
      return elderView(updated, today);
    },
  },

  importRoster: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const { readRoster } = await import('../canteen.import');
      let raw: Awaited<ReturnType<typeof readRoster>>;
      try {
        raw = await readRoster(await readOwnImport(ctx.files, input.fileId, ctx.caller.openid));
      } catch (e) {
        if (e instanceof RangeError) throw err(CanteenErrors.IMPORT_UNREADABLE, e.message);
        throw e;
      }
      const { community, districtId, cityId } = await chainOf(ctx, input.communityId);
      const errors: ImportRowError[] = [];
      const docs: Fields<Elder>[] = [];
      const seen = new Map<string, number>();
      const now = ctx.now().toISOString();
      for (const r of raw) {
        const c = r.cells;
        const rowErrors: ImportRowError[] = [];
        const add = (field: string, message: string) => rowErrors.push({ row: r.row, field, message });
        const name = (c.name ?? '').trim();
        if (!name || name.length > 30) add('姓名', name ? '姓名最多 30 个字' : '姓名不能为空');
        const gender = c.gender ? (c.gender === '男' ? 'male' : c.gender === '女' ? 'female' : null) : undefined;
        if (gender === null) add('性别', '性别应为“男”或“女”');
        const birth = c.birthDate?.replace(/[/.年月]/g, '-').replace(/日$/, '').replace(/-(\d)(?=-|$)/g, '-0$1');
        const cats = parseCategories(c.categories);
        if (!cats.ok) add('类别', '类别应为 留守、独居、困难、其他 中的一项或几项，用顿号分隔');
        const phoneOk = !c.phone || /^1\d{10}$/.test(c.phone);
        if (!phoneOk) add('手机号', '手机号应为 11 位');
        const g = c.guardianName || c.guardianPhone ? { name: c.guardianName ?? '', phone: c.guardianPhone ?? '', relation: c.guardianRelation || '家属' } : undefined;
        if (g && (!g.name || !/^1\d{10}$/.test(g.phone))) add('监护人', '监护人须同时填写姓名和 11 位电话');
        if (rowErrors.length === 0) {
          const checked = checkElder(ctx, {
            name,
            ...(gender ? { gender } : {}),
            ...(birth ? { birthDate: birth } : {}),
            ...(c.idNumber ? { idNumber: c.idNumber } : {}),
            categories: cats.ok ? cats.value : [],
            ...(c.phone ? { phone: c.phone } : {}),
            ...(g ? { guardian: g } : {}),
          });
          if (!checked.ok) for (const e of checked.errors) add({ idNumber: '身份证号', birthDate: '出生日期', gender: '性别' }[e.field] ?? e.field, e.message);
          else {
            const h = checked.fields.idHash;
            if (h && seen.has(h)) add('身份证号', `与第 ${seen.get(h)} 行重复`);
            else if (h && (await ctx.store.collection(idKeys).get(idHashKeyId(h)))) add('身份证号', '该身份证号已登记过助餐');
            if (h) seen.set(h, r.row);
            if (rowErrors.length === 0) {
              docs.push({
                ...checked.fields,
                communityId: community._id,
                districtId,
                cityId,
                status: 'approved',
                history: [{ status: 'approved', at: now, day: shanghaiDay(ctx.now()), reason: '名册导入', by: '社区管理员' }],
                appliedBy: 'import',
                applicantMemberId: me(ctx)._id,
                cardNo: null,
                createdAt: now,
                updatedAt: now,
              });
            }
          }
        }
        errors.push(...rowErrors);
      }
      if (raw.length === 0) errors.push({ row: 2, field: '姓名', message: '名册中没有数据行' });
      if (errors.length > 0 || input.dryRun) return { ok: errors.length === 0, imported: 0, rows: raw.length, errors };
      // All rows or none.
      await ctx.store.transaction(async (tx) => {
        for (const d of docs) {
          const e = await insertElder(tx, `el${ctx.newId()}`, d);
          await issueCard(tx, ctx, e);
        }
      });
      ctx.log.info('roster imported', { communityId: community._id, rows: docs.length, requestId: ctx.requestId });
      return { ok: true, imported: docs.length, rows: raw.length, errors: [] };
    },
  },
} satisfies Partial<AreaActions<typeof canteenContract>>;
