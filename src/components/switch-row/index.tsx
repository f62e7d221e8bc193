import { View } from '@tarojs/components';
import { Switch } from '../nut/switch';
import { FOCUSABLE } from '../focusable';

export interface SwitchRowProps {
  id: string;
  title: string;
  /** Second line; says the state in words so it is not shown by colour alone. */
  desc?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  className?: string;
}

/** A labelled switch whose whole row is the tap target (≥ 60 px tall in elder mode). */
export function SwitchRow({ id, title, desc, checked, onChange, className }: SwitchRowProps) {
  return (
    <View
      id={id}
      className={`switch-row row-between tap${className ? ` ${className}` : ''}`}
      role="switch"
      {...FOCUSABLE}
      aria-checked={checked}
      ariaLabel={title}
      onClick={() => onChange(!checked)}
    >
      <View className="grow">
        <View className="switch-row-title">{title}</View>
        {desc && <View className="meta">{desc}</View>}
      </View>
      {/* Visual only: the row is the switch for assistive technology. */}
      <View className="switch-row-toggle" aria-hidden="true">
        <Switch checked={checked} />
      </View>
    </View>
  );
}
