import { normalise, openWordListSafety } from '../../src/server/safety/word-list';

const safety = openWordListSafety();

describe('normalise', () => {
  it.each([
    ['代 开 发 票', '代开发票'],
    ['代\u3000开\t发\n票', '代开发票'],
    ['ＡＢＣ１２３', 'abc123'],
    ['加ＶＸ：ａｂｃ１２３', '加vx:abc123'],
    ['代*开·发-票', '代开发票'],
    ['代\u200b开发票', '代开发票'],
  ])('%j → %j', (input, out) => {
    expect(normalise(input)).toBe(out);
  });
});

describe('word-list content safety', () => {
  it.each([
    ['网上百家乐，稳赚不赔', '赌博'],
    ['六 合 彩 内部资料', '赌博'],
    ['出售冰毒，量大从优', '毒品'],
    ['有大麻出售', '毒品'],
    ['出售仿真枪', '枪支弹药'],
    ['专业代开发票', '虚假发票'],
    ['代 开 发 票，价格优惠', '虚假发票'],
    ['代开增值税专用发票', '虚假发票'],
    ['兼职刷单，日赚三百', '广告引流'],
    ['优惠多多，加微信abc12345详聊', '广告引流'],
    ['加 V：shishi_2025', '广告引流'],
    ['＋ＶＸ　ｈｅｌｌｏ８８８', '广告引流'],
    ['物业经理就是个王八蛋', '辱骂'],
    ['你 他 妈 的 管不管', '辱骂'],
  ])('blocks %p with a Chinese reason naming “%s”', async (text, category) => {
    const res = await safety.check(text, 'demo-resident-peixin');
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.reason).toContain(category);
      expect(res.reason).toMatch(/请修改后再提交/);
    }
  });

  it.each([
    ['3栋楼道的灯坏了一个月了，希望尽快维修'],
    ['小区门口停车难，建议规划临时车位'],
    ['这是个大麻烦，垃圾清运太慢'],
    ['建议大家加微信群，方便接收停水通知'],
    ['小区里有人聚众赌博，影响休息，请处理'],
    ['希望社区开展禁毒宣传进楼栋'],
    ['开发区到老城的公交太少'],
    ['过去死了好几棵行道树，希望补种'],
    ['请在活动室安装 USB 充电口'],
    ['老人饭堂能否开具发票用于报销'],
  ])('lets %p through', async (text) => {
    await expect(safety.check(text, 'demo-resident-peixin')).resolves.toEqual({ ok: true });
  });
});
