// Per-component NutUI import (JS + precompiled CSS) so only what we use is bundled.
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import NutButton, { type ButtonProps } from '@nutui/nutui-react-taro/dist/es/packages/button';
import { forwardRef } from 'react';

/**
 * NutUI's Button, except `loading`: its spinner is an `<i>` icon that the weapp build cannot render
 * (no @tarojs/plugin-html), so a loading button is shown disabled and marked busy instead.
 */
export const Button = forwardRef<HTMLButtonElement, Partial<ButtonProps>>(function Button({ loading, disabled, ...rest }, ref) {
  return <NutButton ref={ref} {...rest} disabled={disabled || loading} aria-busy={loading || undefined} />;
});
