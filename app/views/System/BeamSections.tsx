import type { BeamNodeStats } from '../../protocol.ts';
import { formatBytes, formatInt, formatPercent } from '../../format/format.ts';
import styles from './SystemView.module.css';

/** erlang:memory/0's types in the order OTP's observer shows them; the `_used` ones are parts of the one before. */
const MEMORY_ORDER = ['processes', 'processes_used', 'system', 'atom', 'atom_used', 'binary', 'code', 'ets'];

/** What only a BEAM node has, in the Node card: its name, release and limits, and how the bridge reads it. */
export function BeamNodeFields({ beam }: { beam: BeamNodeStats }) {
  return (
    <>
      <dt>Erlang node</dt>
      <dd data-testid="beam-node">{beam.node}</dd>
      <dt>Release</dt>
      <dd data-testid="beam-otp">
        Erlang/OTP {beam.otpRelease} <span className={styles.dim}>ERTS {beam.ertsVersion}</span>
      </dd>
      <dt>Process limit</dt>
      <dd>{formatInt(beam.processLimit)}</dd>
      <dt>Read</dt>
      <dd>
        {beam.pollRate} / s <span className={styles.dim}>by the bridge, over Erlang distribution</span>
      </dd>
    </>
  );
}

/** erlang:memory/0 by type: bytes, and each type's share of the total as a bar. */
export function BeamMemory({ beam }: { beam: BeamNodeStats }) {
  const m = beam.memoryByType;
  const total = m.total ?? 0;
  const known = MEMORY_ORDER.filter((k) => m[k] !== undefined);
  const others = Object.keys(m).filter((k) => k !== 'total' && !MEMORY_ORDER.includes(k)).sort();
  return (
    <section className={`${styles.card} ${styles.wide}`} data-testid="beam-memory">
      <h2>
        Memory by type <span className={styles.hint}>erlang:memory/0 · total {formatBytes(total)}</span>
      </h2>
      <table className={styles.memory}>
        <tbody>
          {[...known, ...others].map((k) => {
            const part = k.endsWith('_used');
            const share = total > 0 ? (m[k] ?? 0) / total : 0;
            return (
              <tr key={k} className={part ? styles.part : undefined} data-type={k}>
                <th scope="row">{k}</th>
                <td className={styles.bytes}>{formatBytes(m[k] ?? 0)}</td>
                <td className={styles.share}>{formatPercent(share)}</td>
                <td className={styles.barCell}>
                  <span className={styles.bar} style={{ width: `${Math.min(100, share * 100)}%` }} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
