/**
 * The rest of the ten matters' admin pages under miniprogram-simulate: the demand page's 评估 (with the
 * household-ledger count), 评分 and 微实事立办; the committee page; council meetings (list and schedule,
 * one meeting with its QR code, attendance, outcomes and minutes); and 议事会签到 on the residents' board.
 * Answers are canned and checked against the contracts; setData sizes and node counts are checked (limits)
 * and recorded in test-artifacts/weapp-matters-weigh-metrics.json. Pages run in elder mode.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mattersContract, type Demand, type DemandDetail, type Meeting } from '../../src/features/matters/matters.schema';
import { membersContract } from '../../src/features/members/members.schema';
import { meetingCode } from '../../src/features/matters/meeting-code.rules';
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import type { OpenedPage, PageMetrics } from './simulate-env';
import { useWeapp, type Answers } from './suite';

const COMM = REGION_IDS.peixin;
const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const AT = `${YEAR}-03-02T02:00:00.000Z`;
const sc = (small: number, impact: number, feasible: number, benefit: number) => ({ small, impact, feasible, benefit });

let status: Demand['status'] = 'open';
let scoresComplete = false;
let held = false;
let outcomes = false;
let assessment: Demand['assessment'] = null;
let onCommittee = true;
const demand = (): Omit<Demand, 'createdBy'> => ({
  _id: 'dm-0', communityId: COMM, districtId: REGION_IDS.hanbin, cityId: REGION_IDS.city, year: YEAR, title: '5栋楼道灯更换', description: '5栋楼道灯长期损坏。',
  category: '公共设施', status, mergedInto: null, mergedAt: null, supporters: 6, anonymous: 0, ownSources: 1, mergedCount: 0, kinds: { admin: 1 }, leftOut: null,
  assessment, createdAt: AT, updatedAt: AT,
  fastTrack: status === 'fast_track' ? { cost: 1200, note: '已更换5栋楼道灯12盏', photos: ['f1'], at: AT, by: 'm-liufang' } : null,
});
const detail = (): DemandDetail => ({
  demand: demand(),
  sources: [{ _id: 'dsrc:admin:dm-0', kind: 'admin', ref: 'dm-0', excerpt: '5栋楼道灯更换', supporters: 0, anonymous: 0, note: '网格员走访发现', at: AT, demandId: 'dm-0', movedFrom: null }],
  merged: [],
});

type MeetingView = Omit<Meeting, 'token'> & { attendees: number; token?: string };
const meeting = (over: Partial<MeetingView> = {}): MeetingView => ({
  _id: 'mt0123', communityId: COMM, districtId: REGION_IDS.hanbin, cityId: REGION_IDS.city, year: YEAR, title: '三月居民议事会', place: '社区党群服务中心',
  startsAt: `${YEAR}-03-20T11:00:00.000Z`,
  agenda: [
    { title: '5栋楼道灯更换', demandId: 'dm-0', outcome: outcomes ? 'adopted' : null, votes: outcomes ? { support: 20, oppose: 2, abstain: 1 } : null },
    { title: '增设快递柜', demandId: null, outcome: null, votes: null },
  ],
  token: 'tok_AbC-123xyz', scanned: 18, countedByHand: 5, attendees: 23, minutes: held ? '讨论了两个议题。' : '', photos: [], status: held ? 'held' : 'scheduled', createdAt: AT, updatedAt: AT, ...over,
});

const admin = DEMO_PEOPLE.adminPeixin;
const resident = DEMO_PEOPLE.residentPeixin;
let who: 'admin' | 'resident' = 'admin';

const answers: Answers = {
  'members.me': () => {
    const p = who === 'admin' ? admin : resident;
    return { openid: p.openid, member: { _id: p.memberId, name: p.name, phoneMasked: '138****0004', grants: p.grants } };
  },
  'members.listStaff': () => ({
    items: [
      { memberId: 'm-liufang', name: '刘芳', phoneMasked: '138****0004', role: 'community_admin', regionId: COMM, regionName: '培新街社区' },
      { memberId: 'm-zhangming', name: '张明', phoneMasked: '138****0003', role: 'grid_worker', regionId: REGION_IDS.peixinGrid1, regionName: '培新街社区第一网格' },
      { memberId: 'm-zhangming', name: '张明', phoneMasked: '138****0003', role: 'community_admin', regionId: COMM, regionName: '培新街社区' },
    ],
  }),
  'matters.getDemand': () => detail(),
  'matters.listDemands': () => ({
    items: [0, 1, 2].map((i) => ({ _id: `dm-${i}`, title: ['5栋楼道灯更换', '孝义食堂', '小区加装电梯'][i]!, category: '公共设施' as const, status: 'open' as const, supporters: 10 - i, anonymous: 0, kinds: { admin: 1 }, mergedCount: 0, year: YEAR, createdAt: AT })),
    nextCursor: null,
  }),
  'matters.countBeneficiaries': () => ({ households: 12, people: 20, note: '住户台账：3号楼、5栋标记为独居老人的住户 12 户、20 人', truncated: false }),
  'matters.assessDemand': (i: { cost: number | null; funding: ('fiscal' | 'unit' | 'donation' | 'other')[]; beneficiaries: number | null; beneficiariesNote: string; feasibility: string }) => {
    assessment = { cost: i.cost, funding: i.funding, beneficiaries: i.beneficiaries, beneficiariesNote: i.beneficiariesNote, feasibility: i.feasibility, at: AT };
    return { ...demand(), createdBy: 'm-liufang' };
  },
  'matters.getScores': () =>
    scoresComplete
      ? {
          committee: 2, scored: 2, complete: true, mine: sc(4, 3, 5, 4),
          summary: { mean: sc(4, 3.5, 4.5, 4), spread: sc(0, 0.5, 0.5, 0), total: 4 },
          scores: [{ name: '刘芳', scores: sc(4, 3, 5, 4) }, { name: '张明', scores: sc(4, 4, 4, 4) }],
        }
      : { committee: 2, scored: 1, complete: false, mine: null, summary: null, scores: null },
  'matters.scoreDemand': () => {
    scoresComplete = true;
    return { scored: 2, committee: 2 };
  },
  'matters.fastTrack': () => {
    status = 'fast_track';
    return { ...demand(), createdBy: 'm-liufang' };
  },
  'matters.getCommittee': () => ({ communityId: COMM, year: YEAR, members: [{ memberId: onCommittee ? 'm-liufang' : 'm-zhangming', name: onCommittee ? '刘芳' : '张明' }], weights: sc(1, 2, 1, 1), updatedAt: AT }),
  'matters.setCommittee': (i: { memberIds: string[]; weights: ReturnType<typeof sc> }) => ({
    communityId: COMM, year: YEAR, members: i.memberIds.map((m) => ({ memberId: m, name: m === 'm-liufang' ? '刘芳' : '张明' })), weights: i.weights, updatedAt: AT,
  }),
  'matters.listMeetings': () => ({ items: [meeting(), meeting({ _id: 'mt0000', title: '一月居民议事会', status: 'held', startsAt: `${YEAR}-01-15T11:00:00.000Z` })], nextCursor: null }),
  'matters.scheduleMeeting': (i: { title: string; place: string; startsAt: string; agenda: { title: string; demandId: string | null }[] }) =>
    meeting({ _id: 'mt-new', title: i.title, place: i.place, startsAt: new Date(i.startsAt).toISOString(), agenda: i.agenda.map((a) => ({ ...a, outcome: null, votes: null })), scanned: 0, countedByHand: 0, attendees: 0 }),
  'matters.getMeeting': () => (who === 'admin' ? meeting() : { ...meeting(), token: undefined }),
  'matters.countAttendees': (i: { countedByHand: number }) => ({ attendees: 18 + i.countedByHand }),
  'matters.recordOutcome': () => {
    outcomes = true;
    return { demandId: 'dm-0' };
  },
  'matters.closeMeeting': (i: { minutes: string; photos: string[] }) => {
    held = true;
    return meeting({ minutes: i.minutes, photos: i.photos, status: 'held' });
  },
  'matters.attendMeeting': () => ({ attendees: 24 }),
  'matters.getSlate': () => ({ communityId: COMM, year: YEAR, stage: 'proposal', items: [], steps: [], withdrawn: 0, publicity: null, objections: 0, unanswered: 0, fixedAt: null }),
};

const weapp = useWeapp({
  contracts: { matters: mattersContract, members: membersContract },
  answers,
  where: 'tests/weapp/matters-weigh.test.ts',
  reset: () => {
    status = 'open';
    scoresComplete = false;
    held = false;
    outcomes = false;
    assessment = null;
    onCommittee = true;
    who = 'admin';
  },
  limits: true,
});
const metrics = new Map<string, PageMetrics>();
beforeAll(() => {
  weapp.env.fontScale.current = 1.25;
});
afterAll(() => {
  if (!metrics.size) return;
  const dir = path.resolve(__dirname, '../../test-artifacts');
  mkdirSync(dir, { recursive: true });
  const rows = [...metrics.values()].map(({ page, maxSetDataBytes, setDataCalls, nodes }) => ({ page, maxSetDataBytes, setDataCalls, nodes }));
  writeFileSync(path.join(dir, 'weapp-matters-weigh-metrics.json'), JSON.stringify({ pages: rows }, null, 2) + '\n');
  // eslint-disable-next-line no-console
  console.log(`matters pages, part 2 (largest setData, calls, nodes)\n${rows.map((m) => `  ${m.page.padEnd(36)} ${String(m.maxSetDataBytes).padStart(8)} B ${String(m.setDataCalls).padStart(4)} ${String(m.nodes).padStart(5)} nodes`).join('\n')}`);
});
async function open(page: string, query: Record<string, string> = {}): Promise<OpenedPage> {
  const pg = await weapp.open(page, query);
  const keep = pg.detach;
  pg.detach = () => {
    keep();
    const prev = metrics.get(pg.metrics.page);
    metrics.set(pg.metrics.page, prev ? { ...pg.metrics, maxSetDataBytes: Math.max(prev.maxSetDataBytes, pg.metrics.maxSetDataBytes), nodes: Math.max(prev.nodes, pg.metrics.nodes) } : { ...pg.metrics });
  };
  return pg;
}
const calls = (action: string, area = 'matters') => weapp.env.cloudCalls.filter((c) => c.name === area && c.data.action === action);
async function type(pg: OpenedPage, id: string, value: string) {
  const el = pg.byId(id);
  await pg.fire((el.querySelector('wx-textarea') as HTMLElement | null) ?? (el.querySelector('wx-input') as HTMLElement | null) ?? el, 'input', { value, cursor: 0 });
}
const wx = () => (globalThis as unknown as { wx: Record<string, unknown> }).wx;

describe('a demand: 评估, 评分, 微实事立办', () => {
  test('评估: the ledger count fills the number and note; assessDemand gets cost, funding, beneficiaries and feasibility', async () => {
    const pg = await open('packages/matters-admin/demand/index', { id: 'dm-0' });
    await pg.until(() => pg.hasId('assess-edit'), 'the assessment section');
    expect(pg.byId('assess').textContent).toContain('尚未评估');
    await pg.tap(pg.byId('assess-edit'));
    await pg.until(() => pg.hasId('assess-form'), 'the form');
    await type(pg, 'assess-cost', '48000');
    await pg.tap(pg.byId('assess-funding-fiscal'));
    await pg.tap(pg.byId('assess-funding-donation'));
    await type(pg, 'assess-buildings', '3号楼，5栋');
    await pg.tap(pg.byId('assess-tag-0'));
    await pg.tap(pg.byId('assess-count-run'));
    await pg.until(() => calls('countBeneficiaries').length === 1, 'the ledger counted');
    expect(calls('countBeneficiaries')[0]!.data.input).toEqual({ id: 'dm-0', buildings: ['3号楼', '5栋'], tags: ['独居老人'] });
    await type(pg, 'assess-feasibility', '物业配合，可在一个月内完成');
    await pg.tap(pg.byId('assess-submit'));
    await pg.until(() => pg.hasId('assess-summary'), 'the saved assessment');
    expect(calls('assessDemand').at(-1)!.data.input).toEqual({
      id: 'dm-0', cost: 48000, funding: ['fiscal', 'donation'], beneficiaries: 20, beneficiariesNote: '住户台账：3号楼、5栋标记为独居老人的住户 12 户、20 人', feasibility: '物业配合，可在一个月内完成',
    });
    expect(pg.byId('assess-summary').textContent).toContain('估算费用：48,000 元');
    expect(pg.byId('assess-summary').textContent).toContain('资金来源：财政资金、社会捐助');
    expect(pg.byId('assess-summary').textContent).toContain('受益人数：20 人（住户台账：');
  });

  test('评分: 已评 n/m; all four needed; then the mean, spread, total and each member\'s scores', async () => {
    const pg = await open('packages/matters-admin/demand/index', { id: 'dm-0' });
    await pg.until(() => pg.hasId('score-form'), 'the scoring section');
    expect(pg.byId('score-progress').textContent).toBe('已评 1/2');
    expect(pg.hasId('score-summary')).toBe(false);
    await pg.tap(pg.byId('score-small-4'));
    await pg.tap(pg.byId('score-impact-3'));
    await pg.tap(pg.byId('score-feasible-5'));
    await pg.tap(pg.byId('score-submit'));
    await pg.until(() => pg.hasId('score-error'), 'the missing principle');
    expect(pg.byId('score-error').textContent).toBe('请为四项原则都打分');
    expect(calls('scoreDemand')).toHaveLength(0);
    await pg.tap(pg.byId('score-benefit-4'));
    await pg.tap(pg.byId('score-submit'));
    await pg.until(() => pg.hasId('score-summary'), 'the summary');
    expect(calls('scoreDemand').at(-1)!.data.input).toEqual({ id: 'dm-0', scores: sc(4, 3, 5, 4) });
    expect(pg.byId('score-progress').textContent).toBe('已评 2/2');
    expect(pg.byId('score-total').textContent).toBe('综合得分 4.00');
    expect(pg.byId('score-mean-impact').textContent).toContain('平均 3.50 · 分歧 0.50');
    expect(pg.byId('score-member-1').textContent).toContain('张明：小切口 4');
  });

  test('an admin not on the committee sees the progress but no score form', async () => {
    onCommittee = false;
    const pg = await open('packages/matters-admin/demand/index', { id: 'dm-0' });
    await pg.until(() => pg.hasId('score-not-member'), 'the note');
    expect(pg.hasId('score-form')).toBe(false);
    expect(pg.byId('score-progress').textContent).toBe('已评 1/2');
  });

  test('微实事立办: cost, note and a photo, a confirm, then fastTrack; gone once done', async () => {
    const pg = await open('packages/matters-admin/demand/index', { id: 'dm-0' });
    await pg.until(() => pg.hasId('fast-open'), 'the button');
    await pg.tap(pg.byId('fast-open'));
    await pg.until(() => pg.hasId('fast-form'), 'the form');
    await pg.tap(pg.byId('fast-submit'));
    await pg.until(() => pg.hasId('fast-photos-error'), 'the checks');
    expect(pg.byId('fast-photos-error').textContent).toBe('请上传至少一张办结照片');
    await type(pg, 'fast-cost', '6000');
    await pg.tap(pg.byId('fast-submit'));
    await pg.until(() => pg.hasId('fast-cost-error'), 'the cost refused');
    expect(pg.byId('fast-cost-error').textContent).toBe('微实事立办限 5000 元以下，这件事请走“四议两公开”');
    await type(pg, 'fast-cost', '1200');
    await type(pg, 'fast-note', '已更换5栋楼道灯12盏');
    await pg.tap(pg.byId('fast-photo-add'));
    await pg.until(() => pg.hasId('fast-photo-status-0') && !!pg.byId('fast-photo-status-0').textContent?.includes('已上传'), 'the photo uploaded');
    await pg.tap(pg.byId('fast-submit'));
    await pg.until(() => pg.hasId('fast-confirm'), 'the confirm');
    expect(calls('fastTrack')).toHaveLength(0);
    await pg.tap(pg.byId('fast-confirm'));
    await pg.until(() => pg.hasId('demand-fast-track'), 'the demand done');
    expect(calls('fastTrack').at(-1)!.data.input).toEqual({ id: 'dm-0', cost: 1200, note: '已更换5栋楼道灯12盏', photos: [expect.stringContaining('/matters/')] });
    expect(pg.hasId('fast-open')).toBe(false);
    expect(pg.hasId('score-form')).toBe(false);
    expect(pg.hasId('assess-edit')).toBe(false);
  });
});

describe('the committee', () => {
  test('staff listed once each, the current committee ticked; setCommittee gets members and weights', async () => {
    const pg = await open('packages/matters-admin/committee/index', { communityId: COMM, year: String(YEAR) });
    await pg.until(() => pg.hasId('committee-member-1'), 'two people');
    expect(pg.hasId('committee-member-2')).toBe(false);
    expect(pg.byId('committee-member-1').textContent).toContain('网格员（培新街社区第一网格）、社区管理员');
    expect(pg.byId('committee-member-0').textContent).toContain('☑');
    expect(pg.byId('committee-member-1').textContent).toContain('☐');
    expect(pg.byId('committee-submit').textContent).toContain('1 人');
    await pg.tap(pg.byId('committee-member-1'));
    await type(pg, 'committee-weight-benefit', '3');
    await type(pg, 'committee-weight-small', 'x');
    await pg.tap(pg.byId('committee-submit'));
    await pg.until(() => pg.hasId('committee-error'), 'the bad weight');
    expect(calls('setCommittee')).toHaveLength(0);
    await type(pg, 'committee-weight-small', '1');
    await pg.tap(pg.byId('committee-submit'));
    await pg.until(() => calls('setCommittee').length === 1, 'saved');
    expect(calls('setCommittee')[0]!.data.input).toEqual({ communityId: COMM, year: YEAR, memberIds: ['m-liufang', 'm-zhangming'], weights: sc(1, 2, 1, 3) });
    expect(calls('getCommittee')[0]!.data.input).toEqual({ communityId: COMM, year: YEAR });
  });

  test('the demand list links to the committee and the meetings', async () => {
    const pg = await open('packages/matters-admin/demands/index', { communityId: COMM, year: String(YEAR) });
    await pg.until(() => pg.hasId('demands-meetings'), 'the links');
    await pg.tap(pg.byId('demands-committee'));
    await pg.tap(pg.byId('demands-meetings'));
    await pg.until(() => weapp.env.navigations.some((n) => n.url.startsWith('/packages/matters-admin/meetings/index?')), 'the meetings page');
    expect(weapp.env.navigations.some((n) => n.url === `/packages/matters-admin/committee/index?communityId=${COMM}&year=${YEAR}`)).toBe(true);
  });
});

describe('council meetings', () => {
  test('the list; schedule with date, time, a demand and a new proposal; scheduleMeeting gets exactly that', async () => {
    const pg = await open('packages/matters-admin/meetings/index', { communityId: COMM, year: String(YEAR) });
    await pg.until(() => pg.hasId('meetings-item-1'), 'two meetings');
    expect(pg.byId('meetings-item-0').textContent).toContain(`${YEAR}-03-20 19:00`);
    expect(pg.byId('meetings-item-0').textContent).toContain('到会 23 人');
    expect(pg.byId('meetings-item-1').textContent).toContain('已召开');
    await pg.tap(pg.byId('meetings-new'));
    await pg.until(() => pg.hasId('meeting-form'), 'the form');
    await pg.tap(pg.byId('meeting-submit'));
    await pg.until(() => pg.hasId('meeting-agenda-error'), 'the checks');
    expect(calls('scheduleMeeting')).toHaveLength(0);
    await type(pg, 'meeting-title', '四月居民议事会');
    await type(pg, 'meeting-place', '社区党群服务中心');
    await type(pg, 'meeting-date', `${YEAR}-04-10`);
    await type(pg, 'meeting-time', '19:30');
    await pg.tap(pg.byId('meeting-pick-open'));
    await pg.until(() => pg.hasId('meeting-pick-2'), 'the open demands');
    await pg.tap(pg.byId('meeting-pick-1'));
    await type(pg, 'meeting-proposal', '增设快递柜');
    await pg.tap(pg.byId('meeting-proposal-add'));
    await pg.until(() => pg.hasId('meeting-agenda-1'), 'two items');
    await pg.tap(pg.byId('meeting-submit'));
    await pg.until(() => weapp.env.navigations.some((n) => n.url === '/packages/matters-admin/meeting/index?id=mt-new'), 'the new meeting opened');
    expect(calls('scheduleMeeting').at(-1)!.data.input).toEqual({
      requestId: expect.any(String), communityId: COMM, title: '四月居民议事会', place: '社区党群服务中心', startsAt: `${YEAR}-04-10T19:30:00+08:00`,
      agenda: [{ title: '孝义食堂', demandId: 'dm-1' }, { title: '增设快递柜', demandId: null }],
    });
  });

  test('a meeting: the QR code of its token, 到会人数 by hand, an outcome per item, minutes and a photo to close', async () => {
    const pg = await open('packages/matters-admin/meeting/index', { id: 'mt0123' });
    await pg.until(() => pg.hasId('meeting-qr-image'), 'the QR code');
    expect(pg.byId('meeting-code').textContent).toContain(meetingCode('mt0123', 'tok_AbC-123xyz'));
    expect(pg.byId('meeting-attendees').textContent).toBe('到会 23 人');

    await type(pg, 'meeting-hand', '7');
    await pg.tap(pg.byId('meeting-hand-save'));
    await pg.until(() => pg.byId('meeting-attendees').textContent === '到会 25 人', 'the new count');
    expect(calls('countAttendees')[0]!.data.input).toEqual({ id: 'mt0123', countedByHand: 7 });

    // More votes than people present is refused before asking.
    await pg.tap(pg.byId('agenda-adopted-1'));
    await type(pg, 'agenda-support-1', '30');
    await pg.tap(pg.byId('agenda-submit-1'));
    await pg.until(() => pg.hasId('agenda-error-1'), 'the refusal');
    expect(pg.byId('agenda-error-1').textContent).toContain('多于到会的 25 人');
    await type(pg, 'agenda-support-1', '20');
    await type(pg, 'agenda-oppose-1', '2');
    await pg.tap(pg.byId('agenda-category-1-7'));
    await pg.tap(pg.byId('agenda-submit-1'));
    await pg.until(() => calls('recordOutcome').length === 1, 'the outcome sent');
    expect(calls('recordOutcome')[0]!.data.input).toEqual({ id: 'mt0123', item: 1, outcome: 'adopted', votes: { support: 20, oppose: 2, abstain: 0 }, category: '公共设施' });
    await pg.until(() => pg.hasId('agenda-outcome-0'), 'the meeting read again');
    expect(pg.byId('agenda-outcome-0').textContent).toContain('赞成 20，反对 2，弃权 1');

    await pg.tap(pg.byId('meeting-close-submit'));
    await pg.until(() => pg.hasId('meeting-close-error'), 'the minutes asked for');
    expect(calls('closeMeeting')).toHaveLength(0);
    await type(pg, 'meeting-minutes-input', '讨论了两个议题，均获通过。');
    await pg.tap(pg.byId('meeting-photo-add'));
    await pg.until(() => pg.hasId('meeting-photo-status-0') && !!pg.byId('meeting-photo-status-0').textContent?.includes('已上传'), 'the photo uploaded');
    await pg.tap(pg.byId('meeting-close-submit'));
    await pg.until(() => pg.hasId('meeting-minutes'), 'the meeting held');
    expect(calls('closeMeeting')[0]!.data.input).toEqual({ id: 'mt0123', minutes: '讨论了两个议题，均获通过。', photos: [expect.stringContaining('/matters/')] });
    expect(pg.byId('meeting-status').textContent).toBe('已召开');
    expect(pg.hasId('meeting-qr')).toBe(false);
  });
});

describe('议事会签到 on the residents\' board', () => {
  test('WeChat: scan the code → attendMeeting with its id and token', async () => {
    who = 'resident';
    const keep = wx().scanCode;
    wx().scanCode = (o: { success?: (r: unknown) => void; complete?: (r: unknown) => void }) => {
      const r = { errMsg: 'scanCode:ok', result: meetingCode('mt0123', 'tok_AbC-123xyz'), scanType: 'QR_CODE', charSet: 'utf-8', path: '' };
      o.success?.(r);
      o.complete?.(r);
      return Promise.resolve(r);
    };
    try {
      const pg = await open('packages/matters/board/index');
      await pg.until(() => pg.hasId('board-scan'), 'the scan button');
      await pg.tap(pg.byId('board-scan'));
      await pg.until(() => pg.hasId('board-checked-in'), 'checked in');
      expect(pg.byId('board-checked-in').textContent).toContain('本次到会 24 人');
      expect(calls('attendMeeting').at(-1)!.data.input).toEqual({ id: 'mt0123', token: 'tok_AbC-123xyz' });
    } finally {
      wx().scanCode = keep;
    }
  });

  test('a code that is not a meeting\'s is refused before asking', async () => {
    who = 'resident';
    const keep = wx().scanCode;
    wx().scanCode = (o: { success?: (r: unknown) => void }) => {
      const r = { errMsg: 'scanCode:ok', result: 'https://example.com/x', scanType: 'QR_CODE', charSet: 'utf-8', path: '' };
      o.success?.(r);
      return Promise.resolve(r);
    };
    try {
      const before = calls('attendMeeting').length;
      const pg = await open('packages/matters/board/index');
      await pg.until(() => pg.hasId('board-scan'), 'the scan button');
      await pg.tap(pg.byId('board-scan'));
      await pg.until(() => pg.hasId('board-checkin-error'), 'the refusal');
      expect(pg.byId('board-checkin-error').textContent).toContain('这不是议事会的签到码');
      expect(calls('attendMeeting')).toHaveLength(before);
    } finally {
      wx().scanCode = keep;
    }
  });

  test('the server\'s refusal (outside the sign-in hours) is shown in Chinese', async () => {
    who = 'resident';
    const keepScan = wx().scanCode;
    const keep = answers['matters.attendMeeting']!;
    answers['matters.attendMeeting'] = () => ({ __error: { code: 'MATTERS.ATTENDANCE_CLOSED', message: '不在签到时间内（会前 2 小时至会后 6 小时）' } });
    wx().scanCode = (o: { success?: (r: unknown) => void }) => {
      const r = { errMsg: 'scanCode:ok', result: meetingCode('mt0123', 'tok_AbC-123xyz'), scanType: 'QR_CODE', charSet: 'utf-8', path: '' };
      o.success?.(r);
      return Promise.resolve(r);
    };
    try {
      const pg = await open('packages/matters/board/index');
      await pg.until(() => pg.hasId('board-scan'), 'the scan button');
      await pg.tap(pg.byId('board-scan'));
      await pg.until(() => pg.hasId('board-checkin-error'), 'the message');
      expect(pg.byId('board-checkin-error').textContent).toBe('不在签到时间内（会前 2 小时至会后 6 小时）');
      expect(pg.hasId('board-scan')).toBe(true);
    } finally {
      wx().scanCode = keepScan;
      answers['matters.attendMeeting'] = keep;
    }
  });
});
