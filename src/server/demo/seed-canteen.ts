/**
 * Demo canteens (培新街社区孝义食堂, 肖家坝社区孝义食堂) and about thirty invented elders with cards.
 * Ids and card numbers are fixed, so seeding again writes nothing. ID numbers are invented (valid
 * checksums) and stored, like real ones, only masked plus the keyed hash.
 */
import type { Services } from '../action';
import type { Fields, TxCollection } from '../store/store';
import { canteenKeyring, idNumberHash } from '../../features/canteen/canteen.keys';
import { canteens, cardLinks, cards, elders, idKeys } from '../../features/canteen/canteen.collections';
import {
  DEFAULT_ABSENCE_DAYS, DEFAULT_ELIGIBILITY, DEFAULT_MEAL_COST, DEFAULT_TIERS, idCheckDigit, idHashKeyId, last4, maskIdNumber,
} from '../../features/canteen/canteen.rules';
import type { Canteen, Card, Elder, ElderCategory } from '../../features/canteen/canteen.schema';
import { CANTEEN_IDS, DEMO_PEOPLE, REGION_IDS as R } from './demo-data';

const SEEDED_AT = '2025-01-01T00:00:00.000Z';
const CITY = R.city;

async function insertMissing<T>(col: TxCollection<T>, docs: (Fields<T> & { _id: string })[]): Promise<void> {
  const have = new Set((await col.getMany(docs.map((d) => d._id))).map((d) => d._id));
  for (const { _id, ...doc } of docs) {
    if (!have.has(_id)) await col.insert(doc as unknown as Fields<T>, { id: _id });
  }
}

const canteen = (id: string, name: string, communityId: string, districtId: string): Fields<Canteen> & { _id: string } => ({
  _id: id,
  name,
  communityId,
  districtId,
  cityId: CITY,
  meals: ['lunch'],
  prices: [{ from: '2024-01-01', mealCost: DEFAULT_MEAL_COST, tiers: DEFAULT_TIERS }],
  eligibility: DEFAULT_ELIGIBILITY,
  absenceDays: DEFAULT_ABSENCE_DAYS,
  createdAt: SEEDED_AT,
  updatedAt: SEEDED_AT,
});

type S = 'approved' | 'applied' | 'suspended' | 'moved' | 'deceased';
/** name, gender, birth date, categories, phone (or '' for none), status; a guardian for some. */
type Row = [name: string, g: 'm' | 'f', birth: string, cats: ElderCategory[], phone: string, status?: S, guardian?: [string, string, string]];

const PEIXIN: Row[] = [
  ['李德福', 'm', '1946-05-12', ['left_behind'], '', 'approved', ['李秀兰', '13800000001', '女儿']],
  ['王桂兰', 'f', '1941-09-03', ['alone'], '13900002001'],
  ['张守义', 'm', '1949-12-20', ['hardship'], '13900002002'],
  ['陈秀珍', 'f', '1952-02-29', ['alone', 'hardship'], '13900002003'],
  ['刘福贵', 'm', '1938-07-07', ['left_behind'], '', 'approved', ['刘建军', '13900002104', '儿子']],
  ['杨玉梅', 'f', '1955-03-15', ['alone'], '13900002005'],
  ['赵长顺', 'm', '1950-08-01', ['hardship'], '13900002006'],
  ['黄凤英', 'f', '1947-11-11', ['left_behind', 'alone'], '', 'approved', ['黄小燕', '13900002107', '女儿']],
  ['周德明', 'm', '1959-04-18', ['other'], '13900002008'],
  ['吴淑华', 'f', '1944-01-25', ['alone'], '13900002009'],
  ['徐广才', 'm', '1951-06-30', ['left_behind'], '13900002010'],
  ['孙桂香', 'f', '1953-10-08', ['hardship'], '13900002011'],
  ['马永福', 'm', '1940-03-03', ['alone'], '', 'approved', ['马丽', '13900002112', '女儿']],
  ['朱玉兰', 'f', '1957-12-12', ['left_behind'], '13900002013'],
  ['胡成林', 'm', '1948-09-09', ['hardship'], '13900002014'],
  ['郭秀英', 'f', '1945-05-05', ['alone'], '13900002015'],
  ['何长林', 'm', '1956-07-21', ['left_behind'], '13900002016'],
  ['高凤兰', 'f', '1943-02-14', ['alone', 'hardship'], '13900002017'],
  ['林志远', 'm', '1954-11-30', ['other'], '13900002018'],
  ['罗桂珍', 'f', '1950-06-06', ['left_behind'], '13900002019'],
  ['郑德厚', 'm', '1939-10-10', ['hardship'], '', 'approved', ['郑伟', '13900002120', '儿子']],
  ['梁玉珍', 'f', '1958-08-08', ['alone'], '13900002021'],
  ['宋金山', 'm', '1952-01-01', ['left_behind'], '13900002022'],
  ['谢秀兰', 'f', '1946-04-04', ['hardship'], '13900002023'],
  ['韩富贵', 'm', '1949-03-27', ['alone'], '13900002024'],
  ['唐淑芳', 'f', '1960-09-19', ['left_behind'], '13900002025', 'applied'],
  ['冯长江', 'm', '1955-05-20', [], '13900002026', 'applied'],
  ['于桂荣', 'f', '1942-12-01', ['alone'], '13900002027', 'suspended'],
  ['董德胜', 'm', '1944-08-15', ['hardship'], '13900002028', 'moved'],
  ['萧秀云', 'f', '1936-02-02', ['alone'], '13900002029', 'deceased'],
];

const XIAOJIABA: Row[] = [
  ['程德华', 'm', '1947-07-17', ['left_behind'], '13900003001'],
  ['曹玉芬', 'f', '1953-03-09', ['alone'], '13900003002'],
  ['彭永贵', 'm', '1941-10-28', ['hardship'], '13900003003'],
  ['蒋秀梅', 'f', '1956-06-16', ['alone'], '13900003004'],
];

const STATUS_REASON: Record<S, string> = {
  approved: '名册导入',
  applied: '本人申请',
  suspended: '住院期间暂停',
  moved: '随子女迁往西安',
  deceased: '家属告知已过世',
};

/** A valid invented ID number for row `i` (汉滨区 prefix 610902). */
function idNumber(birth: string, g: 'm' | 'f', i: number): string {
  const seq = String(100 + i * 2 + (g === 'm' ? 1 : 0)).padStart(3, '0');
  const first17 = `610902${birth.replace(/-/g, '')}${seq}`;
  return first17 + idCheckDigit(first17);
}

export async function seedDemoCanteen(services: Services): Promise<void> {
  const ring = canteenKeyring(true);
  const elderDocs: (Fields<Elder> & { _id: string })[] = [];
  const cardDocs: (Fields<Card> & { _id: string })[] = [];
  const keyDocs: { _id: string; elderId: string }[] = [];
  const add = (rows: Row[], communityId: string, districtId: string, prefix: string, cardPrefix: string) =>
    rows.forEach(([name, g, birth, cats, phone, status = 'approved', guardian], i) => {
      const _id = `el-${prefix}-${String(i + 1).padStart(2, '0')}`;
      const id = idNumber(birth, g, i);
      const hash = idNumberHash(ring, id);
      const hasCard = status !== 'applied';
      const cardNo = `${cardPrefix}${String(i + 1).padStart(6, '0')}`;
      const history: Elder['history'] = [{ status: 'applied', at: SEEDED_AT, day: '2025-01-01', reason: '名册导入', by: '社区管理员' }];
      if (status !== 'applied') history.push({ status: 'approved', at: SEEDED_AT, day: '2025-01-01', reason: '名册导入', by: '社区管理员' });
      if (status !== 'applied' && status !== 'approved') history.push({ status, at: SEEDED_AT, day: '2025-01-01', reason: STATUS_REASON[status], by: '社区管理员' });
      elderDocs.push({
        _id,
        name,
        gender: g === 'm' ? 'male' : 'female',
        birthDate: birth,
        idMasked: maskIdNumber(id),
        idHash: hash,
        communityId,
        districtId,
        cityId: CITY,
        categories: cats,
        phone: phone || null,
        phoneLast4: last4(phone),
        guardian: guardian ? { name: guardian[0], phone: guardian[1], relation: guardian[2] } : null,
        guardianLast4: guardian ? last4(guardian[1]) : null,
        status,
        history,
        appliedBy: 'import',
        applicantMemberId: DEMO_PEOPLE.adminPeixin.memberId,
        cardNo: hasCard ? cardNo : null,
        createdAt: SEEDED_AT,
        updatedAt: SEEDED_AT,
      });
      keyDocs.push({ _id: idHashKeyId(hash), elderId: _id });
      if (hasCard) cardDocs.push({ _id: cardNo, elderId: _id, cityId: CITY, generation: 0, status: 'active', issuedAt: SEEDED_AT, revokedAt: null, revokedReason: null });
    });
  add(PEIXIN, R.peixin, R.hanbin, 'px', 'PX');
  add(XIAOJIABA, R.xiaojiaba, R.hanbin, 'xjb', 'XJ');

  await services.store.transaction(async (tx) => {
    await insertMissing(tx.collection(canteens), [
      canteen(CANTEEN_IDS.peixin, '培新街社区孝义食堂', R.peixin, R.hanbin),
      canteen(CANTEEN_IDS.xiaojiaba, '肖家坝社区孝义食堂', R.xiaojiaba, R.hanbin),
    ]);
    await insertMissing(tx.collection(elders), elderDocs);
    await insertMissing(tx.collection(idKeys), keyDocs);
    await insertMissing(tx.collection(cards), cardDocs);
    // 李秀兰 shows her father's card on her phone.
    await insertMissing(tx.collection(cardLinks), [
      { _id: `link:${DEMO_PEOPLE.residentPeixin.openid}:el-px-01`, openid: DEMO_PEOPLE.residentPeixin.openid, elderId: 'el-px-01', createdAt: SEEDED_AT },
    ]);
  });
}
