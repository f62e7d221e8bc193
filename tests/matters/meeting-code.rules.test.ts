import { meetingCode, parseMeetingCode } from '../../src/features/matters/meeting-code.rules';

test('a meeting code round-trips its id and token; anything else is not one', () => {
  expect(parseMeetingCode(meetingCode('mt0a1b', 'Ab_-9xYz'))).toEqual({ id: 'mt0a1b', token: 'Ab_-9xYz' });
  expect(parseMeetingCode(`  ${meetingCode('mt1', 't')}\n`)).toEqual({ id: 'mt1', token: 't' });
  for (const bad of ['', 'https://example.com', 'shishi-meeting:', 'shishi-meeting:mt1', 'shishi-meeting:mt1:', 'shishi-meeting::t', 'shishi-meeting:a:b:c', 'ABC123']) {
    expect(parseMeetingCode(bad)).toBeNull();
  }
});
