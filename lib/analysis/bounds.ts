/**
 * The error bound of the low-rank CKA (docs/ANALYSIS.md "Low-rank mode" derives it).
 *
 * A layer's centred features X (n x p) give K = X Xᵀ; CKA(a, b) = <K_a, K_b> / (||K_a|| ||K_b||), the
 * cosine of the angle between K_a and K_b in Frobenius space (>= 0: both are PSD). The low-rank mode
 * keeps an orthonormal basis Q (p x r) per layer and uses K̂ = X Q Qᵀ Xᵀ. From the layer's exact Gram
 * G = XᵀX (p x p) it knows, for that Q:
 *   ||K|| = ||G||,  ||K̂|| = ||QᵀGQ||,  <K, K̂> = ||GQ||²,  E = K - K̂ (PSD), ||E||² = ||G||² - 2||GQ||² + ||QᵀGQ||².
 * Two independent intervals hold for the true CKA c, given ĉ = CKA(K̂_a, K̂_b) and c̃ = <K̂_a, K̂_b> / (||K_a|| ||K_b||):
 *  1. angles: the angle between K and K̂ is θ = acos(<K,K̂> / (||K|| ||K̂||)); on the sphere angles obey
 *     the triangle inequality, so acos(c) lies within θ_a + θ_b of acos(ĉ);
 *  2. expansion: <K_a,K_b> = <K̂_a,K̂_b> + <K̂_a,E_b> + <E_a,K̂_b> + <E_a,E_b>, every term >= 0 (PSD), and each
 *     at most the product of norms (Cauchy-Schwarz) and at most λ_max(A) tr(B) for PSD A, B:
 *     c̃ <= c <= c̃ + (<K̂_a,E_b>⁺ + <E_a,K̂_b>⁺ + <E_a,E_b>⁺) / (||K_a|| ||K_b||), each ⁺ the smaller bound
 *     (λ_max(K̂) is the top Ritz value, tr(E) = tr(G) - tr(QᵀGQ), and λ_max(E) <= ||E||).
 * The reported interval is their intersection, widened by a rounding allowance (float32 products).
 */

/** What the low-rank mode knows about one layer's approximation. */
export interface LayerApprox {
  /** ||K||_F (exact, from G). */
  normK: number;
  /** ||K̂||_F. */
  normKhat: number;
  /** ||K - K̂||_F. */
  eta: number;
  /** The angle between K and K̂ (radians). */
  angle: number;
  /** λ_max(K̂) (the top Ritz value). */
  top: number;
  /** tr(K - K̂). */
  residualTrace: number;
}

/**
 * A layer's approximation from G's squared norm and trace and, for the kept basis Q (Ritz vectors),
 * Σ||G q_i||², ||QᵀGQ||² = Σθ_i², tr(QᵀGQ) = Σθ_i and the top Ritz value θ_1.
 */
export function layerApprox(g: { normG2: number; trace: number }, q: { gq2: number; qgq2: number; qgqTrace: number; top: number }): LayerApprox {
  const normK = Math.sqrt(Math.max(0, g.normG2));
  const normKhat = Math.sqrt(Math.max(0, q.qgq2));
  const eta = Math.sqrt(Math.max(0, g.normG2 - 2 * q.gq2 + q.qgq2));
  const residualTrace = Math.max(0, g.trace - q.qgqTrace);
  const top = Math.max(0, q.top);
  if (normK === 0) return { normK, normKhat, eta: 0, angle: 0, top, residualTrace: 0 };
  if (normKhat === 0) return { normK, normKhat, eta: normK, angle: Math.PI / 2, top, residualTrace };
  const cos = Math.min(1, Math.max(-1, q.gq2 / (normK * normKhat)));
  const byCos = Math.acos(cos);
  const bySin = Math.asin(Math.min(1, eta / normK));
  return { normK, normKhat, eta, angle: Math.min(byCos, bySin), top, residualTrace };
}

/** A CKA value with a guaranteed interval. */
export interface Bounded { value: number; lower: number; upper: number }

/**
 * The CKA of layers a and b from <K̂_a, K̂_b> (`inner`), with its interval (module comment);
 * `allowance` widens it for rounding. A layer with ||K|| = 0 (constant features) has no CKA: NaN.
 */
export function pairInterval(inner: number, a: LayerApprox, b: LayerApprox, allowance: number): Bounded {
  if (a.normK === 0 || b.normK === 0) return { value: NaN, lower: NaN, upper: NaN };
  const chat = a.normKhat > 0 && b.normKhat > 0 ? Math.min(1, Math.max(0, inner / (a.normKhat * b.normKhat))) : 0;
  const ctil = Math.max(0, inner / (a.normK * b.normK));
  const t = a.angle + b.angle;
  const phi = Math.acos(chat);
  const lower = Math.max(ctil, Math.cos(Math.min(Math.PI / 2, phi + t)));
  const ab = Math.min(a.normKhat * b.eta, a.top * b.residualTrace);
  const ba = Math.min(a.eta * b.normKhat, a.residualTrace * b.top);
  const ee = Math.min(a.eta * b.eta, a.eta * b.residualTrace, a.residualTrace * b.eta);
  const cross = (ab + ba + ee) / (a.normK * b.normK);
  const upper = Math.min(1, ctil + cross, Math.cos(Math.max(0, phi - t)));
  const value = Math.min(upper, Math.max(lower, chat));
  return { value, lower: Math.max(0, lower - allowance), upper: Math.min(1, upper + allowance) };
}

/** The exact CKA from <K_a, K_b> and the two norms (NaN when a layer is constant). */
export function exactCka(inner: number, normA: number, normB: number): number {
  if (normA === 0 || normB === 0) return NaN;
  return Math.min(1, Math.max(0, inner / (normA * normB)));
}
