/** The CloudBase adapter's request, against a recorded platform call (the WeChat boundary, not our code). */
import { fitValue, wechatDeliver, WechatSendError } from '../../src/server/notify/wechat';
import { parseTemplates } from '../../src/server/notify/templates';

describe('wechat subscribeMessage.send adapter', () => {
  it('sends touser, template_id, page and { value } data through /cgi-bin/message/subscribe/send', async () => {
    const calls: [string, unknown][] = [];
    const deliver = wechatDeliver(async (api, body) => {
      calls.push([api, body]);
      return { errcode: 0, errmsg: 'ok' };
    });
    await deliver({ openid: 'o-1', template: 'suggestion_reply', templateId: 'T1', page: 'pages/suggestion/index?id=s1', data: { phrase2: '已答复', thing3: '一二三四五六七八九十一二三四五六七八九十一二' } });
    expect(calls).toEqual([
      [
        '/cgi-bin/message/subscribe/send',
        {
          touser: 'o-1',
          template_id: 'T1',
          page: 'pages/suggestion/index?id=s1',
          data: { phrase2: { value: '已答复' }, thing3: { value: '一二三四五六七八九十一二三四五六七八九…' } },
          miniprogram_state: 'formal',
          lang: 'zh_CN',
        },
      ],
    ]);
  });

  it('an errcode (e.g. 43101: the person unsubscribed) is an error', async () => {
    const deliver = wechatDeliver(async () => ({ errcode: 43101, errmsg: 'user refuse to accept the msg' }));
    await expect(deliver({ openid: 'o', template: 'k', templateId: 'T', data: {} })).rejects.toEqual(new WechatSendError(43101));
  });

  it.each([
    ['thing1', '一二三四五六七八九十一二三四五六七八九十', '一二三四五六七八九十一二三四五六七八九十'],
    ['phrase1', '已纳入需求清单', '已纳入需求'],
    ['time4', '2025-03-03 10:00', '2025-03-03 10:00'],
  ])('fitValue(%s)', (k, v, want) => expect(fitValue(k, v)).toBe(want));

  it('parses the template configuration: an id, or an id with field names', () => {
    expect(parseTemplates('{"a_b":"ID1","c":{"id":"ID2","fields":{"status":"phrase1"}}}')).toEqual({ a_b: { id: 'ID1', fields: {} }, c: { id: 'ID2', fields: { status: 'phrase1' } } });
    expect(() => parseTemplates('not json')).toThrow('not valid JSON');
    expect(() => parseTemplates('{"Bad-Key":"x"}')).toThrow(/malformed/);
  });
});
