// The prose under `--help` says what the command does today, as the README does.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const help = async (...command: string[]) => {
  const r = await runCli([...command, '--help']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.replace(/\s+/g, ' ');
};

describe('--help prose', () => {
  it('budget: the period end is the P50 and P90 of the method forecast chooses, the run rate only when history is short', async () => {
    const text = await help('budget');
    expect(text).not.toContain('Projections use the run rate of the period so far');
    expect(text).toContain('END P50 and END P90 are the period-end spend forecast from the ledger\'s history by the method `llmfin forecast` chooses for the scope (JSON selected_method; the run rate of the period so far when there is too little)');
  });

  it('anomalies: the baseline is the pooled weekday profile and Huber-mean level the detector uses', async () => {
    const text = await help('anomalies');
    expect(text).not.toContain('Baselines are robust (the median of the last four same weekdays, carried forward');
    expect(text).toContain('a Huber-mean level');
    expect(text).toContain('a MAD-reweighted scale');
  });

  it('proxy: a stream\'s closing comment is shown with the fields the proxy writes, and every x-llmfin response header is named', async () => {
    const text = await help('proxy');
    expect(text).toContain('": llmfin request_id=… cost_usd=… cost_status=…"');
    for (const header of ['x-llmfin-request-id', 'x-llmfin-model', 'x-llmfin-cost-usd', '-cost-status', 'x-llmfin-routed-from', 'x-llmfin-loop', 'x-llmfin-attempts']) {
      expect(text).toContain(header);
    }
  });

  it('forecast: a --model value and model may hold colons, and a quoted value reads one way', async () => {
    const text = await help('forecast');
    expect(text).toContain("In --model DIM=VALUE:MODEL the value and the model may hold ':' (Bedrock ids end in :0): the split whose value has spend and whose model has a price is taken");
    expect(text).toContain(`quote the value, which then reads one way: --model 'model="VALUE:WITH:COLONS":MODEL'`);
  });
});
