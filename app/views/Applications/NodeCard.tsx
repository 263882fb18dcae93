import { memo } from 'react';
import type { TreeNode } from '../../layout/supervisionForest.ts';
import type { PlacedNode } from '../../layout/treeLayout.ts';
import type { BlastMark } from './paintTree.ts';
import type { IntensityExceededEvent } from '../../protocol.ts';
import type { Transition } from './forestTracker.ts';
import styles from './NodeCard.module.css';

export interface NodeCardProps {
  placed: PlacedNode;
  node: TreeNode;
  selected: boolean;
  match: boolean;
  blast: BlastMark | undefined;
  /** The node's supervisor exceeded its restart intensity: why (the runtime's escalation fact). */
  gaveUp: IntensityExceededEvent | null;
  /** A death or birth at this place in the last moments. */
  transition: Transition | undefined;
}

const STATUS_WORD: Record<TreeNode['status'], string> = {
  running: 'running',
  runnable: 'runnable',
  waiting: 'waiting',
  exiting: 'exiting',
  exited: 'exited',
  restarting: 'restarting',
  dead: 'terminated',
  unknown: 'unknown',
};

/**
 * One process in the tree, as a card in world coordinates (the layer above scales it). Kept
 * to a few elements: hundreds are on screen at once and each tick re-renders the changed ones.
 */
export const NodeCard = memo(function NodeCard({ placed, node, selected, match, blast, gaveUp, transition }: NodeCardProps) {
  const { compact } = placed;
  const died = transition?.died ?? null;
  const born = transition !== undefined && transition.born !== null && transition.born === node.pid;
  const cls = [styles.card, compact ? styles.compact : '', selected ? styles.selected : '', match ? styles.match : '', born ? styles.born : '']
    .filter(Boolean)
    .join(' ');
  const hasChildren = node.children.length > 0;
  return (
    <div
      className={cls}
      style={{ left: placed.x, top: placed.y, width: placed.w, height: placed.h }}
      data-testid="tree-node"
      data-key={node.key}
      data-pid={node.pid ?? ''}
      data-kind={node.kind}
      data-status={node.status}
      data-blast={blast}
      data-gave-up={gaveUp !== null ? gaveUpText(gaveUp) : undefined}
      role="treeitem"
      aria-selected={selected}
      aria-expanded={hasChildren ? placed.hidden === 0 : undefined}
      aria-level={placed.depth + 1}
      title={gaveUp !== null ? `${tooltip(node)}\n${gaveUpText(gaveUp)}` : tooltip(node)}
    >
      <span className={styles.bar} />
      <div className={styles.line}>
        <span className={styles.title}>{node.title}</span>
        {node.childId !== null && (!compact || node.restarts > 0) ? (
          <span className={node.restarts > 0 ? `${styles.badge} ${styles.hot}` : styles.badge} title={`restarted ${node.restarts} time${node.restarts === 1 ? '' : 's'}`}>
            ↻<span data-testid="restart-badge">{node.restarts}</span>
          </span>
        ) : null}
      </div>
      <div className={styles.line}>
        <code className={styles.pid}>{node.pid ?? (node.status === 'restarting' ? 'restarting…' : '—')}</code>
        {!compact ? <span className={styles.dim}>{kindWord(node)}</span> : null}
        {/* Named by its content, so the name holds the visible text (WCAG 2.5.3); the bar's colour, in words. */}
        <span className="visually-hidden"> {STATUS_WORD[node.status]}</span>
      </div>
      {!compact ? <ThirdLine node={node} died={died} born={born} gaveUp={gaveUp} transition={transition} /> : null}
      {hasChildren && !compact ? (
        <button type="button" className={styles.toggle} data-toggle={node.key} aria-label={placed.hidden > 0 ? `expand ${node.title}` : `collapse ${node.title}`}>
          {placed.hidden > 0 ? `+${placed.hidden}` : '−'}
        </button>
      ) : null}
    </div>
  );
}, sameCard);

function ThirdLine({ node, died, born, gaveUp, transition }: { node: TreeNode; died: string | null; born: boolean; gaveUp: IntensityExceededEvent | null; transition: Transition | undefined }) {
  if (node.status === 'dead') {
    return (
      <div className={`${styles.line} ${styles.dead}`} title={gaveUp !== null ? gaveUpText(gaveUp) : undefined}>
        {gaveUp !== null ? <span data-testid="gave-up">{gaveUpText(gaveUp)} · </span> : null}terminated{node.lastExitReason ? `: ${node.lastExitReason}` : ''}
      </div>
    );
  }
  if (died !== null && (born || node.pid === null)) {
    // A supervisor that gave up exits with `shutdown`: say why it gave up, not only that.
    const why = transition?.gaveUp ?? null;
    return (
      <div className={`${styles.line} ${styles.died}`} title={why !== null ? gaveUpText(why) : undefined}>
        {why !== null ? (
          <span className={styles.reason} data-testid="gave-up">{gaveUpText(why)}</span>
        ) : (
          <span className={styles.reason}>{transition?.reason ?? node.lastExitReason ?? 'exited'}</span>
        )}{' '}
        <code className={styles.was}>{died}</code>
      </div>
    );
  }
  if (node.kind === 'supervisor' && node.strategy !== null) {
    const used = node.intensity > 0 ? node.restartsInWindow / node.intensity : 0;
    const level = gaveUp !== null && node.restartsInWindow >= node.intensity ? 'over' : used >= 1 ? 'full' : used >= 0.5 ? 'warm' : 'cool';
    return (
      <div className={styles.line}>
        <span className={styles.strategy}>{node.strategy}</span>
        {gaveUp !== null ? null : (
          <>
            <span
              className={styles.gauge}
              data-level={level}
              data-testid="intensity-gauge"
              title={`${node.restartsInWindow} of ${node.intensity} restarts used in the ${node.period} s window`}
            >
              <span style={{ width: `${Math.min(100, used * 100)}%` }} />
            </span>
            <span className={styles.dim}>
              {node.restartsInWindow}/{node.intensity}
            </span>
          </>
        )}
        {gaveUp !== null ? (
          <span className={styles.reason} title={gaveUpText(gaveUp)}>
            ↯ gave up
          </span>
        ) : null}
      </div>
    );
  }
  if (node.kind === 'application') return <div className={`${styles.line} ${styles.dim}`}>application master</div>;
  return <div className={`${styles.line} ${styles.dim}`}>{node.lastExitReason !== null ? <>last exit <span className={styles.reason}>{node.lastExitReason}</span></> : node.restart ?? ''}</div>;
}

/** Why a supervisor gave up, in OTP's terms (supervisor docs, "Restart intensity"). */
export function gaveUpText(e: IntensityExceededEvent): string {
  return `gave up: more than ${e.intensity} restart${e.intensity === 1 ? '' : 's'} in ${e.period} s${e.childId !== undefined ? ` (${e.childId}: ${e.reason ?? 'exited'})` : ''}`;
}

function kindWord(node: TreeNode): string {
  if (node.kind === 'application') return 'application';
  return node.behaviour ?? node.kind;
}

function tooltip(node: TreeNode): string {
  const lines = [`${node.title}  ${node.pid ?? ''}`, `${kindWord(node)} · ${STATUS_WORD[node.status]}`];
  if (node.childId !== null) lines.push(`child ${node.childId} (${node.restart ?? 'permanent'}), restarts ${node.restarts}`);
  if (node.strategy !== null) lines.push(`${node.strategy}, ${node.restartsInWindow} of ${node.intensity} restarts in ${node.period} s`);
  if (node.lastExitReason !== null) lines.push(`last exit: ${node.lastExitReason}`);
  return lines.join('\n');
}

function sameCard(a: NodeCardProps, b: NodeCardProps): boolean {
  if (a.placed !== b.placed || a.selected !== b.selected || a.match !== b.match || a.blast !== b.blast || a.gaveUp !== b.gaveUp || a.transition !== b.transition) return false;
  const x = a.node;
  const y = b.node;
  return (
    x === y ||
    (x.pid === y.pid && x.status === y.status && x.title === y.title && x.restarts === y.restarts && x.lastExitReason === y.lastExitReason &&
      x.restartsInWindow === y.restartsInWindow && x.behaviour === y.behaviour && x.children.length === y.children.length)
  );
}
