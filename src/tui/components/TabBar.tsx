/** The view tabs; the current one is bracketed (and inverted when colour is on). */
import { Fragment } from 'react';
import { VIEWS, VIEW_TITLES, type ViewName } from '../views.js';
import { Line } from './Line.js';
import { Paint } from './Paint.js';

export function TabBar({ view, flags }: { view: ViewName; flags: number }) {
  return (
    <Line>
      {VIEWS.map((v, i) => {
        const title = v === 'flags' && flags > 0 ? `${VIEW_TITLES[v]} (${flags})` : VIEW_TITLES[v];
        return (
          <Fragment key={v}>
            {i > 0 ? ' ' : ''}
            {v === view ? (
              <Paint inverse bold>{`[${i + 1} ${title}]`}</Paint>
            ) : (
              <Paint dim>{` ${i + 1} ${title} `}</Paint>
            )}
          </Fragment>
        );
      })}
    </Line>
  );
}
