// Per-component NutUI import (JS + precompiled CSS) so only what we use is bundled.
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css';
import NutInput, { type InputProps } from '@nutui/nutui-react-taro/dist/es/packages/input';
import { View } from '@tarojs/components';
import { forwardRef } from 'react';

// NutUI's default clear icon is an `<i>`, which the weapp build cannot render; we never show it.
const NO_ICON = <View />;

export const Input = forwardRef<unknown, Partial<InputProps>>(function Input(props, ref) {
  return <NutInput ref={ref as never} clearIcon={NO_ICON} {...props} />;
});
