/**
 * Demo household ledgers for the three demo grids: invented people, typical tags. Ids come from the
 * addresses (as an import would make them), so seeding again writes nothing. No visits are seeded:
 * visits keep coverage counters, and only `visits.record` writes those.
 */
import type { Services } from '../action';
import { households } from '../../features/visits/visits.collections';
import { addressKey, DEFAULT_RULES, everyDaysFor, householdId, nextDueAt } from '../../features/visits/visits.rules';
import type { Household, Tag } from '../../features/visits/visits.schema';
import { REGION_IDS as R } from './demo-data';

const SEEDED_AT = '2025-01-01T00:00:00.000Z';

type Row = [building: string, unit: string, room: string, head: string, count: number, phone: string | null, tags: Tag[]];

const LEDGERS: { communityId: string; gridId: string; rows: Row[] }[] = [
  {
    communityId: R.peixin,
    gridId: R.peixinGrid1,
    rows: [
      ['3栋', '2单元', '501', '王桂芳', 1, '13800001001', ['独居老人', '低保']],
      ['3栋', '2单元', '502', '刘建华', 3, '13800001002', []],
      ['3栋', '2单元', '601', '陈秀英', 2, '13800001003', ['空巢']],
      ['3栋', '1单元', '302', '赵德明', 1, null, ['独居老人', '残疾']],
      ['5栋', '1单元', '101', '孙丽', 4, '13800001005', ['留守儿童']],
      ['5栋', '1单元', '402', '周志强', 3, '13800001006', ['重点关注']],
      ['5栋', '2单元', '201', '吴玉兰', 1, '13800001007', ['独居老人']],
      ['6栋', '1单元', '301', '郑国平', 5, '13800001008', []],
    ],
  },
  {
    communityId: R.peixin,
    gridId: R.peixinGrid2,
    rows: [
      ['8栋', '1单元', '102', '冯淑珍', 2, '13800002001', ['空巢', '低保']],
      ['8栋', '2单元', '502', '何文斌', 1, '13800002002', ['重点关注']],
      ['9栋', '1单元', '201', '马小红', 3, null, []],
    ],
  },
  {
    communityId: R.xiaojiaba,
    gridId: R.xiaojiabaGrid1,
    rows: [
      ['12栋', '1单元', '301', '黄永福', 1, '13800003001', ['独居老人']],
      ['12栋', '1单元', '302', '林美华', 4, '13800003002', ['留守儿童']],
      ['15栋', '3单元', '601', '罗建军', 2, '13800003003', ['残疾', '低保']],
    ],
  },
];

export async function seedDemoVisits(services: Services): Promise<void> {
  await services.store.transaction(async (tx) => {
    const col = tx.collection(households);
    for (const { communityId, gridId, rows } of LEDGERS) {
      const docs = rows.map(([building, unit, room, headName, membersCount, phone, tags]) => {
        const key = addressKey({ building, unit, room });
        const everyDays = everyDaysFor(tags, DEFAULT_RULES);
        const doc: Omit<Household, '_id'> = {
          communityId, gridId, building, unit, room, addressKey: key, headName, membersCount, phone, tags, note: '',
          everyDays, lastVisitAt: null, lastVisitMonth: '', nextDueAt: nextDueAt(null, everyDays, SEEDED_AT), visitCount: 0,
          createdAt: SEEDED_AT, updatedAt: SEEDED_AT,
        };
        return { id: householdId(communityId, key), doc };
      });
      const have = new Set((await col.getMany(docs.map((d) => d.id))).map((d) => d._id));
      for (const d of docs) if (!have.has(d.id)) await col.insert(d.doc, { id: d.id });
    }
  });
}
