// Per-component NutUI import (JS + precompiled CSS) so only what we use is bundled.
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css';

export { default as Switch } from '@nutui/nutui-react-taro/dist/es/packages/switch';
