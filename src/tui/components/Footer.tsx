/** The last row: the keys, or the filter being typed. */
import { Line } from './Line.js';
import { Paint } from './Paint.js';

export interface FooterProps {
  groupBy: string;
  /** The filter being edited, or undefined when not editing. */
  editing: string | undefined;
  width: number;
}

export function Footer({ groupBy, editing, width }: FooterProps) {
  if (editing !== undefined) {
    return (
      <Line>
        <Paint color="cyan">/ </Paint>
        {editing}
        <Paint inverse> </Paint>
        <Paint dim>{'  enter: apply · esc: clear'}</Paint>
      </Line>
    );
  }
  const long = `q quit · tab/←→ views · g group: ${groupBy} · p pause · / filter · ? help`;
  const short = `q quit · tab view · g ${groupBy} · p pause · / filter · ? help`;
  return (
    <Line>
      <Paint dim>{width >= long.length ? long : short}</Paint>
    </Line>
  );
}
