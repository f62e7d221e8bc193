import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../../client/api';
import { useAction, usePaged } from '../../../client/hooks';
import { newRequestId } from '../../../client/request-id';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { Field } from '../../../components/field';
import { EmptyState, ErrorState, ListFooter, LoadingState } from '../../../components/states';
import { formatDateTime, shanghaiDaysAgo } from '../../../components/format';
import { FOCUSABLE } from '../../../components/focusable';
import { errorText, NoCommunity, supportText, Tags, useAdminScope, useLivePaged } from '../shared';
import '../ui.scss';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A date and a time in Asia/Shanghai as the ISO string scheduleMeeting takes. */
const startsAtOf = (date: string, time: string): string => `${date.trim()}T${time.trim()}:00+08:00`;

/** The community's council meetings of the year; schedule a new one. */
export default function Meetings() {
  const { me, communityId, year } = useAdminScope();
  const [adding, setAdding] = useState(false);
  const list = useLivePaged((cursor) => api.matters.listMeetings({ communityId: communityId as string, year, cursor }), [communityId, year], !!communityId);

  if (!communityId) {
    return (
      <Page id="page-meetings">
        <NoCommunity me={me} />
      </Page>
    );
  }
  const open = (id: string) => void Taro.navigateTo({ url: `/packages/matters-admin/meeting/index?id=${encodeURIComponent(id)}` });

  return (
    <Page id="page-meetings">
      <View className="section">
        <View className="title">{year} 年居民议事会</View>
        {!adding && (
          <Button id="meetings-new" type="primary" block onClick={() => setAdding(true)}>
            安排议事会
          </Button>
        )}
      </View>
      {adding && (
        <Schedule
          communityId={communityId}
          year={year}
          onCancel={() => setAdding(false)}
          onDone={(id) => {
            setAdding(false);
            void list.reload();
            open(id);
          }}
        />
      )}
      {list.error && list.items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.reload()} />
      ) : !list.loaded ? (
        <LoadingState />
      ) : list.items.length === 0 ? (
        <EmptyState text="今年还没有安排议事会" />
      ) : (
        <View id="meetings-list">
          {list.items.map((m, i) => (
            <View key={m._id} id={`meetings-item-${i}`} data-id={m._id} className="list-item" role="button" {...FOCUSABLE} onClick={() => open(m._id)}>
              <View className="section-title">{m.title}</View>
              <View className="meta">
                {formatDateTime(m.startsAt)} · {m.place}
              </View>
              <Tags items={[m.status === 'held' ? '已召开' : '待召开', `议题 ${m.agenda.length} 个`, `到会 ${m.attendees} 人`]} />
            </View>
          ))}
          <ListFooter list={list} idPrefix="meetings" />
        </View>
      )}
    </Page>
  );
}

interface AgendaItem {
  title: string;
  demandId: string | null;
}

/** 安排议事会: title, place, date and time, and the agenda (open demands of the list, or new proposals). */
function Schedule({ communityId, year, onCancel, onDone }: { communityId: string; year: number; onCancel: () => void; onDone: (id: string) => void }) {
  const [requestId] = useState(newRequestId);
  const [title, setTitle] = useState('');
  const [place, setPlace] = useState('');
  const [date, setDate] = useState(shanghaiDaysAgo(-7));
  const [time, setTime] = useState('19:00');
  const [agenda, setAgenda] = useState<AgendaItem[]>([]);
  const [proposal, setProposal] = useState('');
  const [picking, setPicking] = useState(false);
  const [local, setLocal] = useState<Record<string, string>>({});
  const demands = usePaged((cursor) => api.matters.listDemands({ communityId, year, sort: 'supporters', cursor }), [communityId, year]);

  const save = useAction(
    async () => {
      const m = await api.matters.scheduleMeeting({ requestId, communityId, title: title.trim(), place: place.trim(), startsAt: startsAtOf(date, time), agenda });
      onDone(m._id);
      return m;
    },
    { successToast: '议事会已安排' },
  );
  const submit = () => {
    const errs: Record<string, string> = {};
    if (title.trim().length < 2) errs.title = '标题至少 2 个字';
    if (place.trim().length < 2) errs.place = '请填写地点';
    if (!DAY.test(date.trim())) errs.date = '日期格式应为 YYYY-MM-DD';
    if (!TIME.test(time.trim())) errs.time = '时间格式应为 HH:MM，如 19:30';
    if (agenda.length === 0) errs.agenda = '请至少列一个议题';
    setLocal(errs);
    if (Object.keys(errs).length === 0) void save.run();
  };
  const addProposal = () => {
    const t = proposal.trim();
    if (t.length < 2) return setLocal({ ...local, proposal: '议题至少 2 个字' });
    setAgenda((a) => [...a, { title: t.slice(0, 60), demandId: null }]);
    setProposal('');
    setLocal({ ...local, proposal: '', agenda: '' });
  };
  const err = (f: string) => local[f] || undefined;
  const message = errorText(save.error);

  return (
    <View id="meeting-form" className="section">
      <View className="section-title">安排议事会</View>
      <Field label="标题" error={err('title')} errorId="meeting-title-error">
        <Input id="meeting-title" className="field-input" placeholder="如：三月居民议事会" maxLength={60} value={title} onChange={setTitle} />
      </Field>
      <Field label="地点" error={err('place')} errorId="meeting-place-error">
        <Input id="meeting-place" className="field-input" placeholder="如：社区党群服务中心二楼会议室" maxLength={60} value={place} onChange={setPlace} />
      </Field>
      <View className="row">
        <View className="grow">
          <Field label="日期" error={err('date')} errorId="meeting-date-error">
            <Input id="meeting-date" className="field-input" placeholder="YYYY-MM-DD" maxLength={10} value={date} onChange={setDate} />
          </Field>
        </View>
        <View className="grow">
          <Field label="时间" error={err('time')} errorId="meeting-time-error">
            <Input id="meeting-time" className="field-input" placeholder="19:00" maxLength={5} value={time} onChange={setTime} />
          </Field>
        </View>
      </View>
      <Field label={`议题（${agenda.length}/20）`} error={err('agenda')} errorId="meeting-agenda-error">
        {agenda.map((a, i) => (
          <View key={i} id={`meeting-agenda-${i}`} className="ma-row">
            <View className="grow">
              {i + 1}. {a.title}
              <Tags items={[a.demandId ? '清单中的需求' : '新提议']} />
            </View>
            <Button id={`meeting-agenda-remove-${i}`} size="small" onClick={() => setAgenda((l) => l.filter((_, k) => k !== i))}>
              删除
            </Button>
          </View>
        ))}
      </Field>
      {agenda.length < 20 && (
        <View className="ma-box">
          <Input id="meeting-proposal" className="field-input" placeholder="新提议的议题（2–60 字）" maxLength={60} value={proposal} onChange={setProposal} />
          {err('proposal') && <View className="ma-error">{err('proposal')}</View>}
          <View className="row">
            <Button id="meeting-proposal-add" className="grow" size="small" onClick={addProposal}>
              添加新提议
            </Button>
            <Button id="meeting-pick-open" className="grow" size="small" onClick={() => setPicking((p) => !p)}>
              {picking ? '收起需求清单' : '从需求清单添加'}
            </Button>
          </View>
          {picking &&
            (demands.error && demands.items.length === 0 ? (
              <ErrorState error={demands.error} onRetry={() => void demands.reload()} />
            ) : !demands.loaded ? (
              <LoadingState />
            ) : demands.items.length === 0 ? (
              <EmptyState text="需求清单中没有待议的需求" />
            ) : (
              <View>
                {demands.items.map((d, i) => {
                  const on = agenda.some((a) => a.demandId === d._id);
                  return (
                    <View
                      key={d._id}
                      id={`meeting-pick-${i}`}
                      className="ma-row"
                      role="checkbox"
                      aria-checked={on}
                      {...FOCUSABLE}
                      onClick={() => setAgenda((l) => (on ? l.filter((a) => a.demandId !== d._id) : l.length >= 20 ? l : [...l, { title: d.title.slice(0, 60), demandId: d._id }]))}
                    >
                      <View>{on ? '☑' : '☐'}</View>
                      <View className="grow">
                        <View>{d.title}</View>
                        <View className="meta">{supportText(d.supporters, d.anonymous)}</View>
                      </View>
                    </View>
                  );
                })}
                <ListFooter list={demands} idPrefix="meeting-pick" />
              </View>
            ))}
        </View>
      )}
      {message && (
        <View id="meeting-error" className="ma-error" role="alert">
          {message}
        </View>
      )}
      <View className="row">
        <Button id="meeting-cancel" className="grow" disabled={save.loading} onClick={onCancel}>
          取消
        </Button>
        <Button id="meeting-submit" className="grow" type="primary" loading={save.loading} disabled={save.loading} onClick={submit}>
          安排
        </Button>
      </View>
    </View>
  );
}
