import { View } from '@tarojs/components';
import { ROLE_LABELS } from '../../features/members/members.labels';
import type { Grant } from '../../features/members/members.schema';
import { grantKey } from '../../client/me';
import { Button } from '../nut/button';

export interface RoleSwitcherProps {
  grants: Grant[];
  active: Grant | null;
  onChange: (g: Grant) => void;
}

/** Shown only to people with several grants; each button names role and place in words. */
export function RoleSwitcher({ grants, active, onChange }: RoleSwitcherProps) {
  if (grants.length < 2) return null;
  return (
    <View id="role-switcher" className="section">
      <View className="section-title">切换身份</View>
      <View className="chips">
        {grants.map((g) => {
          const on = active !== null && grantKey(active) === grantKey(g);
          return (
            <Button
              key={grantKey(g)}
              id={`role-${g.role}-${g.regionId}`}
              className="chip"
              type={on ? 'primary' : 'default'}
              fill={on ? 'solid' : 'outline'}
              aria-pressed={on}
              onClick={() => onChange(g)}
            >
              {on ? '✓ ' : ''}
              {ROLE_LABELS[g.role]} · {g.regionName ?? g.regionId}
            </Button>
          );
        })}
      </View>
    </View>
  );
}
