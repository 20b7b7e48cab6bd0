/**
 * The error bound of the low-rank CKA (docs/ANALYSIS.md "Low-rank mode" derives it).
 *
 * A layer's centred features X (n x p) give K = X Xᵀ; CKA(a, b) = <K_a, K_b> / (||K_a|| ||K_b||), the
 * cosine of the angle between K_a and K_b in Frobenius space (>= 0: both are PSD). The low-rank mode
 * keeps an orthonormal basis Q (p x r) per layer and uses K̂ = X Q Qᵀ Xᵀ; E = K - K̂ = X (I - QQᵀ) Xᵀ is
 * PSD. With G = XᵀX: ||K|| = ||G||, ||K̂|| = ||QᵀGQ||, <K, K̂> = ||GQ||², ||E|| = ||(I - QQᵀ) G (I - QQᵀ)||,
 * tr(E) = tr(G) - tr(QᵀGQ). A layer record carries ||K|| and ||E|| as intervals (exact when the mode
 * computed G, bounded when it only sketched it). Two independent intervals hold for the true CKA c,
 * given ĉ = CKA(K̂_a, K̂_b) and the inner product <K̂_a, K̂_b>:
 *  1. angles: the angle θ between K and K̂ (cos θ = <K,K̂> / (||K|| ||K̂||), sin θ <= ||E|| / ||K||); on the
 *     sphere angles obey the triangle inequality, so acos(c) lies within θ_a + θ_b of acos(ĉ);
 *  2. expansion: <K_a,K_b> = <K̂_a,K̂_b> + <K̂_a,E_b> + <E_a,K̂_b> + <E_a,E_b>, every term >= 0 (PSD), each at
 *     most the product of norms (Cauchy-Schwarz) and at most λ_max(A) tr(B) for PSD A, B (λ_max(K̂) is
 *     the top Ritz value, λ_max(E) <= ||E||).
 * The reported interval is their intersection, widened by a rounding allowance (float32 products).
 */

/** What the low-rank mode knows about one layer's approximation. */
export interface LayerApprox {
  /** ||K||_F within [normKLow, normKHigh] (equal when G was computed). */
  normKLow: number;
  normKHigh: number;
  /** ||K̂||_F. */
  normKhat: number;
  /** An upper bound on ||K - K̂||_F (exact when G was computed). */
  eta: number;
  /** An upper bound on the angle between K and K̂ (radians). */
  angle: number;
  /** λ_max(K̂) (the top Ritz value). */
  top: number;
  /** tr(K - K̂). */
  residualTrace: number;
}

/**
 * What a layer's basis Q_r (r Ritz vectors of G) gives, with G known exactly (`normG2`, the gram
 * bound) or only up to an unseen remainder whose Frobenius norm is at most `unseen` (the trace bound:
 * ||G||² is `normG2` plus at most unseen², ||E||² is `eta2` plus at most unseen²).
 */
export interface LayerTerms {
  /** ||G||² (gram) or its seen part (trace). */
  normG2: number;
  /** tr(G). */
  trace: number;
  /** Σ_{i<=r} ||G q_i||². */
  gq2: number;
  /** Σ_{i<=r} θ_i² = ||QᵀGQ||². */
  qgq2: number;
  /** Σ_{i<=r} θ_i. */
  qgqTrace: number;
  /** θ_1. */
  top: number;
  /** ||E||² (gram) or its seen part (trace). */
  eta2: number;
  /** Bound on the Frobenius norm of what was not seen (0 with the exact Gram). */
  unseen: number;
}

/** A layer's approximation record from its terms. */
export function layerApprox(t: LayerTerms): LayerApprox {
  const u2 = t.unseen * t.unseen;
  const normKLow = Math.sqrt(Math.max(0, t.normG2));
  const normKHigh = Math.sqrt(Math.max(0, t.normG2 + u2));
  const normKhat = Math.sqrt(Math.max(0, t.qgq2));
  const eta = Math.min(normKHigh, Math.sqrt(Math.max(0, t.eta2 + u2)));
  const residualTrace = Math.max(0, t.trace - t.qgqTrace);
  const top = Math.max(0, t.top);
  if (normKHigh === 0) return { normKLow, normKHigh, normKhat, eta: 0, angle: 0, top, residualTrace: 0 };
  if (normKhat === 0 || normKLow === 0)
    return { normKLow, normKHigh, normKhat, eta: Math.max(eta, normKhat), angle: Math.PI / 2, top, residualTrace };
  const byCos = Math.acos(Math.min(1, Math.max(-1, t.gq2 / (normKHigh * normKhat))));
  const bySin = Math.asin(Math.min(1, eta / normKLow));
  return { normKLow, normKHigh, normKhat, eta, angle: Math.min(byCos, bySin), top, residualTrace };
}

/** A CKA value with a guaranteed interval. */
export interface Bounded {
  value: number;
  lower: number;
  upper: number;
}

/**
 * The CKA of layers a and b from <K̂_a, K̂_b> (`inner`), with its interval (module comment);
 * `allowance` widens it for rounding. A layer with ||K|| = 0 (constant features) has no CKA: NaN.
 */
export function pairInterval(inner: number, a: LayerApprox, b: LayerApprox, allowance: number): Bounded {
  if (a.normKHigh === 0 || b.normKHigh === 0) return { value: NaN, lower: NaN, upper: NaN };
  const chat = a.normKhat > 0 && b.normKhat > 0 ? Math.min(1, Math.max(0, inner / (a.normKhat * b.normKhat))) : 0;
  const t = a.angle + b.angle;
  const phi = Math.acos(chat);
  const lower = Math.max(inner / (a.normKHigh * b.normKHigh), Math.cos(Math.min(Math.PI / 2, phi + t)));
  const ab = Math.min(a.normKhat * b.eta, a.top * b.residualTrace);
  const ba = Math.min(a.eta * b.normKhat, a.residualTrace * b.top);
  const ee = Math.min(a.eta * b.eta, a.eta * b.residualTrace, a.residualTrace * b.eta);
  const byExpansion = a.normKLow > 0 && b.normKLow > 0 ? (inner + ab + ba + ee) / (a.normKLow * b.normKLow) : 1;
  const upper = Math.min(1, byExpansion, Math.cos(Math.max(0, phi - t)));
  const value = Math.min(upper, Math.max(lower, chat));
  return { value, lower: Math.max(0, lower - allowance), upper: Math.min(1, upper + allowance) };
}

/** The exact CKA from <K_a, K_b> and the two norms (NaN when a layer is constant). */
export function exactCka(inner: number, normA: number, normB: number): number {
  if (normA === 0 || normB === 0) return NaN;
  return Math.min(1, Math.max(0, inner / (normA * normB)));
}
