/** One question as residents answer it (answering page, builder preview): the input for its type, writing a value rules.checkValue accepts. */
import { View } from '@tarojs/components';
import type { Question } from '../../features/surveys/surveys.schema';
import type { MultipleAnswer, SingleAnswer } from '../../features/surveys/surveys.rules';
import { Button } from '../nut/button';
import { Input } from '../nut/input';
import { TextArea } from '../nut/textarea';

export interface QuestionInputProps {
  q: Question;
  value: unknown;
  onChange: (v: unknown) => void;
  /** id prefix, e.g. `survey-q-age`. */
  idp: string;
}

/** `mark`: a ✓ before a picked label, so the choice is not shown by colour alone. @default true */
function Chip({ id, on, label, onClick, mark = true }: { id: string; on: boolean; label: string; onClick: () => void; mark?: boolean }) {
  return (
    <Button id={id} className="chip survey-chip" type={on ? 'primary' : 'default'} aria-pressed={on} onClick={onClick}>
      {on && mark ? '✓ ' : ''}
      {label}
    </Button>
  );
}

function OtherText({ idp, value, onChange }: { idp: string; value: string; onChange: (t: string) => void }) {
  return <Input id={`${idp}-other`} className="field-input" placeholder="请注明" maxLength={100} value={value} onChange={onChange} />;
}

export function QuestionInput({ q, value, onChange, idp }: QuestionInputProps) {
  const opts = q.options ?? [];
  const otherId = opts.find((o) => o.other)?.id;
  switch (q.type) {
    case 'single': {
      const v = (value as SingleAnswer | undefined) ?? { pick: '' };
      return (
        <View>
          <View className="survey-chips">
            {opts.map((o) => (
              <Chip key={o.id} id={`${idp}-opt-${o.id}`} on={v.pick === o.id} label={o.label}
                onClick={() => onChange(v.pick === o.id ? undefined : { pick: o.id, ...(v.other ? { other: v.other } : {}) })} />
            ))}
          </View>
          {otherId && v.pick === otherId && <OtherText idp={idp} value={v.other ?? ''} onChange={(t) => onChange({ ...v, other: t })} />}
        </View>
      );
    }
    case 'multiple': {
      const v = (value as MultipleAnswer | undefined) ?? { picks: [] };
      const toggle = (id: string) => {
        const picks = v.picks.includes(id) ? v.picks.filter((x) => x !== id) : [...v.picks, id];
        onChange(picks.length ? { ...v, picks } : undefined);
      };
      return (
        <View>
          <View className="survey-chips">
            {opts.map((o) => <Chip key={o.id} id={`${idp}-opt-${o.id}`} on={v.picks.includes(o.id)} label={o.label} onClick={() => toggle(o.id)} />)}
          </View>
          {otherId && v.picks.includes(otherId) && <OtherText idp={idp} value={v.other ?? ''} onChange={(t) => onChange({ ...v, other: t })} />}
        </View>
      );
    }
    case 'text':
      return <Input id={`${idp}-input`} className="field-input" maxLength={100} value={(value as string) ?? ''} onChange={(t) => onChange(t)} />;
    case 'textarea':
      return <TextArea id={`${idp}-input`} className="field-input" maxLength={1000} value={(value as string) ?? ''} onChange={(t: string) => onChange(t)} />;
    case 'number':
      return (
        <Input
          id={`${idp}-input`}
          className="field-input"
          type="digit"
          placeholder={q.min !== undefined || q.max !== undefined ? `${q.min ?? ''} – ${q.max ?? ''}` : '请填写数字'}
          value={value === undefined ? '' : String(value)}
          onChange={(t) => onChange(t.trim() === '' ? undefined : Number.isNaN(Number(t)) ? t : Number(t))}
        />
      );
    case 'rating':
      // Five stars stay on one line (a ✓ on each would wrap them); the choice is said in words below.
      return (
        <View>
          <View className="survey-chips survey-stars">
            {[1, 2, 3, 4, 5].map((n) => (
              <Chip key={n} id={`${idp}-star-${n}`} mark={false} on={typeof value === 'number' && value >= n} label={`${n}★`} onClick={() => onChange(n)} />
            ))}
          </View>
          <View id={`${idp}-stars-said`} className="muted">{typeof value === 'number' ? `已选 ${value} 星（共 5 星）` : '请点选 1–5 星'}</View>
        </View>
      );
    case 'matrix': {
      const v = (value as Record<string, string> | undefined) ?? {};
      return (
        <View>
          {(q.rows ?? []).map((r) => (
            <View key={r.id} className="survey-matrix-row">
              <View className="muted">{r.label}</View>
              <View className="survey-chips">
                {(q.scale ?? []).map((c) => (
                  <Chip key={c.id} id={`${idp}-${r.id}-${c.id}`} on={v[r.id] === c.id} label={c.label} onClick={() => onChange({ ...v, [r.id]: c.id })} />
                ))}
              </View>
            </View>
          ))}
        </View>
      );
    }
    case 'ranking': {
      // Tap in order of importance; tapping a ranked option takes it (and those after it) back.
      const order = (value as string[] | undefined) ?? [];
      const tap = (id: string) => {
        const at = order.indexOf(id);
        const next = at >= 0 ? order.slice(0, at) : [...order, id];
        onChange(next.length ? next : undefined);
      };
      return (
        <View>
          <View className="muted">请按重要程度依次点选</View>
          <View className="survey-chips">
            {opts.map((o) => {
              const at = order.indexOf(o.id);
              return <Chip key={o.id} id={`${idp}-opt-${o.id}`} on={at >= 0} label={at >= 0 ? `${at + 1}. ${o.label}` : o.label} onClick={() => tap(o.id)} />;
            })}
          </View>
        </View>
      );
    }
  }
}
