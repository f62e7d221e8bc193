import { View } from '@tarojs/components';
import type { ReactNode } from 'react';

export interface FieldProps {
  label: string;
  /** Shown under the input in words (not only a red border). */
  error?: string;
  /** id of the error line, e.g. `suggest-text-error`. */
  errorId?: string;
  children?: ReactNode;
}

/** The one form-field layout: label above, input, error or hint below. */
export function Field({ label, error, errorId, children }: FieldProps) {
  return (
    <View className="field">
      <View className="field-label">{label}</View>
      {children}
      {error && (
        <View id={errorId} className="field-error" role="alert">
          {error}
        </View>
      )}
    </View>
  );
}
