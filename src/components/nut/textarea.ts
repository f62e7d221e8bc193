// Per-component NutUI import (JS + precompiled CSS) so only what we use is bundled.
import '@nutui/nutui-react-taro/dist/es/packages/textarea/style/css';

export { default as TextArea } from '@nutui/nutui-react-taro/dist/es/packages/textarea';
