/** A section's heading row: a bold title and, dimmed, what it covers. */
import { Line } from './Line.js';
import { Paint } from './Paint.js';

export function SectionTitle({ title, note }: { title: string; note?: string }) {
  return (
    <Line>
      <Paint bold color="cyan">
        {title}
      </Paint>
      {note ? <Paint dim>{`  ${note}`}</Paint> : null}
    </Line>
  );
}
