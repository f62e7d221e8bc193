import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { useElder } from './elder';

export interface PageProps {
  /** Root id, e.g. `page-suggest`; tests wait for it. */
  id: string;
  className?: string;
  children?: ReactNode;
}

/** Every page's root: carries the `elder` class that switches the large-text theme. */
export function Page({ id, className, children }: PageProps) {
  const elder = useElder();
  return (
    <View id={id} role="main" className={`app-page${elder ? ' elder' : ''}${className ? ` ${className}` : ''}`}>
      {children}
    </View>
  );
}
