import { setElder, useElder } from '../page/elder';
import { SwitchRow } from '../switch-row';

export function ElderSwitch({ id = 'elder-switch' }: { id?: string }) {
  const on = useElder();
  return (
    <SwitchRow
      id={id}
      className="section"
      title="长辈模式（大字）"
      desc={on ? '已开启：字更大，按钮更大' : '已关闭'}
      checked={on}
      onChange={setElder}
    />
  );
}
