#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Eight seeds of the seed's ReLU MLP (or of the linear model `B1 x`) trained side by side, one SIMD lane per seed (structure
/// of arrays: element e of every seed's copy is one vector of eight doubles), for ensembles.
///
/// Each lane computes exactly what `Trainer.step()` computes for its seed alone — the same
/// draws from its own xoshiro256** stream (the ziggurat's fast path for eight lanes at once, the
/// rare rejections one lane at a time through `Xoshiro256.normal(from:)`), the same target, the
/// same chains of fused multiply-adds as `Gemm.combine` (started at the bias or zero, the inner
/// index ascending), the same loss sum, bias sums in four interleaved partial sums as
/// `Kernels.sum`, the same optimiser arithmetic and the same divergence rules — so every lane
/// is bit for bit its seed's model. Lanes are independent: no value crosses lanes, so how seeds
/// are grouped into lanes or spread over threads never changes a result.
///
/// A lane stops at divergence as `Trainer` does: a non-finite loss or update leaves its
/// parameters and iteration unchanged (its stream has advanced by the step's draws); a
/// non-finite a-priori error after an update marks it diverged with that step counted. A lane
/// that is not loaded, or has stopped, changes nothing (its stream is kept).
public final class LaneMLP {
  public typealias D = SIMD8<Double>
  public typealias U = SIMD8<UInt64>
  public typealias I = SIMD8<Int64>
  public typealias Mask = SIMDMask<I>
  /// Seeds per group.
  public static let lanes = D.scalarCount
  /// xoshiro256**'s rotation of its last word by 45, as two shifts by amounts the compiler
  /// cannot see: seen, it made them a rotation, which AVX2 has no instruction for, and did it
  /// a lane at a time (eight extracts, rotations and inserts a draw).
  let rotation = (left: U(repeating: 45), right: U(repeating: 19))

  /// The target f: `linear` is F = A X (general, skew, mass, Laplacian), `absoluteLinear`
  /// F = A |X| (even).
  public enum Target: Sendable, Hashable { case linear, absoluteLinear }

  /// The optimiser's update, as `SGD`, `Momentum` and `Adam` in SPNumerics compute it.
  public enum Update: Sendable, Hashable {
    case sgd
    case momentum(mu: Double)
    case adam(beta1: Double, beta2: Double, epsilon: Double)

    /// Doubles of state per parameter.
    public var statePerParameter: Int {
      switch self {
      case .sgd: 0
      case .momentum: 1
      case .adam: 2
      }
    }
  }

  /// The objective: the plain squared error, or the seed's homogeneity penalty
  /// (`HomogeneityPenalty` in SPNumerics) — per sample ‖NN(x) − f‖² + w_λ‖NN(λx) − λNN(x)‖²,
  /// λ ~ U[−λmax, λmax) from the seed's stream, w_λ = w (or w / max(1, λ²)).
  public enum Objective: Sendable, Hashable {
    case plain
    case penalty(weight: Double, lambdaMax: Double, inverseSquare: Bool)
  }

  /// A fixed map around the network that gives a structure by construction (`StructuredMLP`
  /// and `SkewLinear` in SPNumerics): none; `odd`, N(x) = (h(x) − h(−x))/2 with h the network
  /// on [X | −X] (`OddPart`); `mass`, N(x) = g(x) − mean(g(x))·1 (`MeanRemoval`); `skew`, the
  /// linear model at S = K − Kᵀ (with `linear`).
  public enum Structure: Sendable, Hashable { case none, odd, mass, skew }

  public let n: Int
  public let width: Int
  public let biases: Bool
  public let objective: Objective
  public let structure: Structure
  /// The linear model `B1 x` (one n×n matrix, no hidden layer) instead of the MLP.
  public let linear: Bool
  public let batch: Int
  public let target: Target
  public let update: Update
  /// Parameters per seed (the MLP's layout: B1, b1, B2, b2, B3, b3).
  public let count: Int
  /// Where B1, b1, B2, b2, B3, b3 start in the layout.
  let offsets: (Int, Int, Int, Int, Int, Int)

  /// Offsets of B1, b1, B2, b2, B3, b3 in the flat parameters of the seed's MLP with n inputs
  /// and hidden width w (the bias offsets unused without biases), and their count.
  @inlinable
  public static func layout(n: Int, width w: Int, biases: Bool) -> (
    offsets: (Int, Int, Int, Int, Int, Int), count: Int
  ) {
    let c = biases ? 1 : 0
    let ob1 = w * n
    let oB2 = ob1 + c * w
    let ob2 = oB2 + w * w
    let oB3 = ob2 + c * w
    let ob3 = oB3 + n * w
    return ((0, ob1, oB2, ob2, oB3, ob3), ob3 + c * n)
  }

  let theta: UnsafeMutablePointer<D>
  let grad: UnsafeMutablePointer<D>
  let state: UnsafeMutablePointer<D>
  let A: UnsafeMutablePointer<D>
  let xvalid: UnsafeMutablePointer<D>
  let fvalid: UnsafeMutablePointer<D>
  let X: UnsafeMutablePointer<D>
  let F: UnsafeMutablePointer<D>
  let H: UnsafeMutablePointer<D>
  let G: UnsafeMutablePointer<D>
  let Dl: UnsafeMutablePointer<D>
  let yv: UnsafeMutablePointer<D>
  /// The penalty's inputs [X | λX] (n×2m), or the odd model's [X | −X], and each sample's λ
  /// then w_λ (m each).
  let Xt: UnsafeMutablePointer<D>
  let lam: UnsafeMutablePointer<D>
  /// The odd model's [x_valid | −x_valid] (n×2); the skew model's S = K − Kᵀ (n×n).
  let xvalid2: UnsafeMutablePointer<D>
  let S: UnsafeMutablePointer<D>
  var den = D(repeating: 1)
  var r0 = U(repeating: 0)
  var r1 = U(repeating: 0)
  var r2 = U(repeating: 0)
  var r3 = U(repeating: 0)
  var alive = Mask(repeating: false)
  var iteration = I(repeating: 0)
  var lastLoss = D(repeating: .nan)
  var lastApriori = D(repeating: .nan)
  /// Steps each lane took in the last `train` call.
  public private(set) var done = [Int](repeating: 0, count: D.scalarCount)

  /// Lanes of the MLP with n inputs and hidden width `width`, or with `linear`, of the linear
  /// model `B1 x` (`width` and `biases` then unused).
  public init(
    n: Int, width: Int, biases: Bool, linear: Bool = false, objective: Objective = .plain,
    structure: Structure = .none, batch: Int, target: Target, update: Update
  ) {
    precondition(n > 0 && width > 0 && batch > 0)
    precondition(
      (structure == .skew) == (linear && structure != .none)
        && (structure == .none || objective == .plain),
      "skew is the linear model's structure, the others the MLP's, none with the penalty")
    self.n = n
    self.structure = structure
    self.objective = linear ? .plain : objective
    self.width = linear ? n : width
    self.biases = biases && !linear
    self.linear = linear
    self.batch = batch
    self.target = target
    self.update = update
    (offsets, count) =
      linear
      ? ((0, 0, 0, 0, 0, 0), n * n) : Self.layout(n: n, width: width, biases: biases)
    let m = batch
    func make(_ k: Int) -> UnsafeMutablePointer<D> {
      let p = UnsafeMutablePointer<D>.allocate(capacity: max(1, k))
      p.initialize(repeating: D(repeating: 0), count: max(1, k))
      return p
    }
    theta = make(count)
    grad = make(count)
    state = make(count * update.statePerParameter)
    A = make(n * n)
    xvalid = make(n)
    fvalid = make(n)
    // The penalty evaluates the network on [X | λX], the odd model on [X | −X]: twice the
    // columns.
    let doubled = self.objective != .plain || structure == .odd
    let columns = doubled ? 2 * m : m
    X = make(n * m)
    F = make(n * m)
    // H also holds |X| (n×m) for the even target.
    H = make(max(2 * self.width, n) * columns)
    G = make(n * columns)
    Dl = make(2 * self.width * columns)
    // The odd model's two output columns after the n of y.
    yv = make(max(3 * n, 2 * self.width))
    Xt = make(doubled ? n * columns : 0)
    lam = make(self.objective == .plain ? 0 : 2 * m)
    xvalid2 = make(structure == .odd ? 2 * n : 0)
    S = make(structure == .skew ? n * n : 0)
  }

  deinit {
    for p in [theta, grad, state, A, xvalid, fvalid, X, F, H, G, Dl, yv, Xt, lam, xvalid2, S] {
      p.deallocate()
    }
  }

  /// One seed's model into lane `l`: its parameters (`count`), optimiser state
  /// (`count · statePerParameter`), the target's matrix A (n×n), x_valid and f(x_valid) with
  /// ‖f(x_valid)‖ (`norm`, as the a-priori error divides by it), its stream, iteration and last
  /// figures. A loaded lane trains until it diverges.
  public func load(
    lane l: Int, theta p: UnsafePointer<Double>, state s: UnsafePointer<Double>?,
    A a: UnsafePointer<Double>, xvalid x: UnsafePointer<Double>, fvalid f: UnsafePointer<Double>,
    norm: Double, stream: (UInt64, UInt64, UInt64, UInt64), iteration it: Int,
    lastLoss loss: Double, lastApriori apriori: Double
  ) {
    for i in 0..<count { theta[i][l] = p[i] }
    if let s {
      for i in 0..<(count * update.statePerParameter) { state[i][l] = s[i] }
    }
    for i in 0..<(n * n) { A[i][l] = a[i] }
    for i in 0..<n {
      xvalid[i][l] = x[i]
      fvalid[i][l] = f[i]
    }
    if structure == .odd {
      // `OddPart.expand` of the one column: row i is (x_i, −x_i).
      for i in 0..<n {
        xvalid2[2 * i][l] = x[i]
        xvalid2[2 * i + 1][l] = -x[i]
      }
    }
    den[l] = norm
    (r0[l], r1[l], r2[l], r3[l]) = stream
    iteration[l] = Int64(it)
    lastLoss[l] = loss
    lastApriori[l] = apriori
    alive[l] = true
  }

  /// Lane `l`'s model after training: parameters and optimiser state written to `theta` and
  /// `state`; its stream, iteration, whether it diverged and its last figures returned.
  public func unload(
    lane l: Int, theta p: UnsafeMutablePointer<Double>, state s: UnsafeMutablePointer<Double>?
  ) -> (
    stream: (UInt64, UInt64, UInt64, UInt64), iteration: Int, diverged: Bool, lastLoss: Double,
    lastApriori: Double
  ) {
    for i in 0..<count { p[i] = theta[i][l] }
    if let s {
      for i in 0..<(count * update.statePerParameter) { s[i] = state[i][l] }
    }
    return (
      (r0[l], r1[l], r2[l], r3[l]), Int(iteration[l]), !alive[l], lastLoss[l], lastApriori[l]
    )
  }

  /// Up to `steps` steps of every live lane with learning rate `eta`, the optimiser's step count
  /// `t` at the first of them (Adam's bias correction; the same for all lanes). Step j's loss
  /// and a-priori error of lane l go to `losses[j·8 + l]` and `aprioris[j·8 + l]` for
  /// j < `done[l]`; a lane's `done` stops at the step it diverged.
  public func train(
    steps: Int, eta: Double, t: Int, losses: UnsafeMutablePointer<Double>,
    aprioris: UnsafeMutablePointer<Double>
  ) {
    var counts = I(repeating: 0)
    for j in 0..<steps {
      if !any(alive) { break }
      let before = alive
      stepOnce(eta: eta, t: t + j)
      let out = UnsafeMutableRawPointer(losses + j * Self.lanes)
      out.storeBytes(of: lastLoss, as: D.self)
      UnsafeMutableRawPointer(aprioris + j * Self.lanes).storeBytes(of: lastApriori, as: D.self)
      // A lane that diverged in this step does not count it (Trainer.step returned false).
      counts = counts.replacing(with: counts &+ 1, where: before .& alive)
    }
    for l in 0..<Self.lanes { done[l] = Int(counts[l]) }
  }

  @inline(__always)
  func stepOnce(eta: Double, t: Int) {
    let w = width
    let live = alive
    drawInputs(live)
    // The network's inputs and their count: X, or [X | λX] for the penalty.
    var inputs = X
    var m = batch
    if case .penalty(let weight, _, let inverseSquare) = objective {
      let wl = lam + batch
      let one = D(repeating: 1)
      for s in 0..<batch {
        if inverseSquare {
          let l2 = lam[s] * lam[s]
          wl[s] = D(repeating: weight) / one.replacing(with: l2, where: l2 .> one)
        } else {
          wl[s] = D(repeating: weight)
        }
      }
      for i in 0..<n {
        for s in 0..<batch {
          Xt[i &* 2 &* batch &+ s] = X[i &* batch &+ s]
          Xt[i &* 2 &* batch &+ batch &+ s] = lam[s] * X[i &* batch &+ s]
        }
      }
      inputs = Xt
      m = 2 * batch
    } else if structure == .odd {
      // `OddPart.expand`: row i of X̃ is (X_i, −X_i).
      for i in 0..<n {
        for s in 0..<batch {
          Xt[i &* 2 &* batch &+ s] = X[i &* batch &+ s]
          Xt[i &* 2 &* batch &+ batch &+ s] = -X[i &* batch &+ s]
        }
      }
      inputs = Xt
      m = 2 * batch
    }
    // The target F = A X (or A |X|): a chain from zero over the columns of A.
    if target == .absoluteLinear {
      for i in 0..<(n * batch) { H[i] = Self.magnitude(X[i]) }
      affine(A, nil, rows: n, inner: n, H, m: batch, into: F)
    } else {
      affine(A, nil, rows: n, inner: n, X, m: batch, into: F)
    }
    // Forward, with H1 and H2 kept (the linear model: Y = B1 X).
    let (oB1, ob1, oB2, ob2, oB3, ob3) = offsets
    let H1 = H
    let H2 = H + w * m
    if linear {
      if structure == .skew { skewPart() }
      affine(structure == .skew ? S : theta, nil, rows: n, inner: n, X, m: m, into: G)
    } else {
      affine(theta + oB1, biases ? theta + ob1 : nil, rows: w, inner: n, inputs, m: m, into: H1)
      relu(H1, w * m)
      affine(theta + oB2, biases ? theta + ob2 : nil, rows: w, inner: w, H1, m: m, into: H2)
      relu(H2, w * m)
      affine(theta + oB3, biases ? theta + ob3 : nil, rows: n, inner: w, H2, m: m, into: G)
    }
    // The loss (1/m) Σ ‖y − f‖², summed in order, and G = (2/m)(Y − F).
    // With the penalty, per sample v = NN(x), u = NN(λx), r = v − f, d = u − λv:
    // ‖r‖² + w_λ‖d‖², ∂/∂v = (2/m)(r − w_λ λ d), ∂/∂u = (2/m) w_λ d.
    let scale = D(repeating: 2 / Double(batch))
    var sum = D(repeating: 0)
    if structure == .odd {
      // `OddPart.squaredErrorPullback`: y = (u − v)/2, ∂/∂u = ½·(2/m)(y − f), ∂/∂v = −that.
      let half = D(repeating: 0.5)
      let c = D(repeating: 0.5 * (2 / Double(batch)))
      for i in 0..<n {
        let row = G + i &* m
        let f = F + i &* batch
        for s in 0..<batch {
          let r = half * (row[s] - row[batch &+ s]) - f[s]
          sum += r * r
          let g = c * r
          row[s] = g
          row[batch &+ s] = -g
        }
      }
    } else if objective == .plain {
      // Mass: the loss of P g and its gradient P ∂L/∂N (`MeanRemoval.squaredErrorPullback`).
      if structure == .mass { removeMeans(G, m: m) }
      for i in 0..<(n * m) {
        let r = G[i] - F[i]
        sum += r * r
        G[i] = scale * r
      }
      if structure == .mass { removeMeans(G, m: m) }
    } else {
      let wl = lam + batch
      for i in 0..<n {
        let row = G + i &* m
        let f = F + i &* batch
        for s in 0..<batch {
          let v = row[s]
          let u = row[batch &+ s]
          let r = v - f[s]
          let d = u - lam[s] * v
          sum += r * r + wl[s] * d * d
          row[s] = scale * (r - wl[s] * lam[s] * d)
          row[batch &+ s] = scale * wl[s] * d
        }
      }
    }
    let loss = sum / D(repeating: Double(batch))
    // The pullback (the linear model: gB1 = G Xᵀ).
    let D2 = Dl
    let D1 = Dl + w * m
    if linear {
      weightGradient(G, rows: n, X, inner: n, m: m, gW: grad, gb: nil)
      if structure == .skew {
        // ∂L/∂K = ∂L/∂S − (∂L/∂S)ᵀ, in place (`SkewLinear.lossAndGradient`).
        let zero = D(repeating: 0)
        for i in 0..<n {
          grad[i &* n &+ i] = zero
          var j = i &+ 1
          while j < n {
            let a = grad[i &* n &+ j]
            let b = grad[j &* n &+ i]
            grad[i &* n &+ j] = a - b
            grad[j &* n &+ i] = b - a
            j &+= 1
          }
        }
      }
    } else {
      weightGradient(
        G, rows: n, H2, inner: w, m: m, gW: grad + oB3, gb: biases ? grad + ob3 : nil)
      backpropagate(theta + oB3, rows: n, inner: w, G, m: m, into: D2, mask: H2)
      weightGradient(
        D2, rows: w, H1, inner: w, m: m, gW: grad + oB2, gb: biases ? grad + ob2 : nil)
      backpropagate(theta + oB2, rows: w, inner: w, D2, m: m, into: D1, mask: H1)
      weightGradient(
        D1, rows: w, inputs, inner: n, m: m, gW: grad + oB1, gb: biases ? grad + ob1 : nil)
    }
    // The update, where the loss and every new value are finite.
    let lossFinite =
      loss .== loss .& (loss .!= D(repeating: .infinity))
      .& (loss .!= D(repeating: -.infinity))
    let finite = applyUpdate(eta: eta, t: t, where: live .& lossFinite)
    let updated = live .& lossFinite .& finite
    alive = updated
    iteration = iteration.replacing(with: iteration &+ 1, where: updated)
    lastLoss = lastLoss.replacing(with: loss, where: updated)
    let e = aprioriError()
    lastApriori = lastApriori.replacing(with: e, where: updated)
    let eFinite = e .== e .& (e .!= D(repeating: .infinity))
    alive = updated .& eFinite
  }

  /// The batch X (n×m, column s = sample s): for s, then for i, one normal from each lane's
  /// stream, in the order `Trainer.step()` draws them. Lanes not in `live` keep their streams.
  @inline(__always)
  func drawInputs(_ live: Mask) {
    let t = Ziggurat.tables
    var a = r0
    var b = r1
    var c = r2
    var d = r3
    let one = U(repeating: 0x3FF0_0000_0000_0000)
    t.x.withUnsafeBufferPointer { zx in
      for s in 0..<batch {
        for i in 0..<n {
          let bits = Self.next(&a, &b, &c, &d, rotation)
          let u = 2 * (unsafeBitCast(one | (bits &>> 12), to: D.self) - 1) - 1
          let k = bits & 0xFF
          let i0 = Int(truncatingIfNeeded: k[0])
          let i1 = Int(truncatingIfNeeded: k[1])
          let i2 = Int(truncatingIfNeeded: k[2])
          let i3 = Int(truncatingIfNeeded: k[3])
          let i4 = Int(truncatingIfNeeded: k[4])
          let i5 = Int(truncatingIfNeeded: k[5])
          let i6 = Int(truncatingIfNeeded: k[6])
          let i7 = Int(truncatingIfNeeded: k[7])
          let edge = D(zx[i0], zx[i1], zx[i2], zx[i3], zx[i4], zx[i5], zx[i6], zx[i7])
          let next = D(
            zx[i0 &+ 1], zx[i1 &+ 1], zx[i2 &+ 1], zx[i3 &+ 1], zx[i4 &+ 1], zx[i5 &+ 1],
            zx[i6 &+ 1], zx[i7 &+ 1])
          var x = u * edge
          let fast = Self.magnitude(x) .< next
          if !all(fast) {
            // A copy goes to `reject`: the loop's own state never has its address taken.
            var state = (a, b, c, d)
            Self.reject(fast, bits, &x, &state)
            (a, b, c, d) = state
          }
          X[i * batch + s] = x
        }
      }
    }
    // The penalty's λ, one uniform draw a sample after the batch (`Xoshiro256.uniform(a, b)`).
    if case .penalty(_, let lambdaMax, _) = objective {
      let low = D(repeating: -lambdaMax)
      let span = D(repeating: lambdaMax - -lambdaMax)
      let ulp = D(repeating: 0x1.0p-53)
      for s in 0..<batch {
        let bits = Self.next(&a, &b, &c, &d, rotation)
        lam[s] = low + span * (D(bits &>> 11) * ulp)
      }
    }
    r0 = r0.replacing(with: a, where: live)
    r1 = r1.replacing(with: b, where: live)
    r2 = r2.replacing(with: c, where: live)
    r3 = r3.replacing(with: d, where: live)
  }

  /// One xoshiro256** output of every lane (`Xoshiro256.next()`, eight streams at once).
  @inline(__always)
  static func next(
    _ a: inout U, _ b: inout U, _ c: inout U, _ d: inout U, _ rotation: (left: U, right: U)
  ) -> U {
    let b5 = b &* 5
    let bits = ((b5 &<< 7) | (b5 &>> 57)) &* 9
    let shifted = b &<< 17
    c ^= a
    d ^= b
    b ^= c
    a ^= d
    c ^= shifted
    d = (d &<< rotation.left) | (d &>> rotation.right)
    return bits
  }

  /// The lanes where the ziggurat's fast path rejected `bits`: each finishes its draw alone
  /// (`Xoshiro256.normal(from:)`), taking what further draws it needs from its own stream.
  /// Apart from the hot loop, so its registers stay there. The lanes are read and written in
  /// memory a word at a time: setting a lane of a vector value reloaded the whole vector after
  /// each word stored, a stall every time.
  @inline(never)
  static func reject(_ fast: Mask, _ bits: U, _ x: inout D, _ state: inout (U, U, U, U)) {
    // Byte offsets of lane l's words: the four state vectors one after the other.
    let word = MemoryLayout<UInt64>.stride
    let vector = MemoryLayout<U>.stride
    withUnsafeMutableBytes(of: &x) { values in
      withUnsafeMutableBytes(of: &state) { words in
        for l in 0..<lanes where !fast[l] {
          let a = l * word
          var r = Xoshiro256(
            state: (
              words.load(fromByteOffset: a, as: UInt64.self),
              words.load(fromByteOffset: vector + a, as: UInt64.self),
              words.load(fromByteOffset: 2 * vector + a, as: UInt64.self),
              words.load(fromByteOffset: 3 * vector + a, as: UInt64.self)
            ))
          values.storeBytes(of: r.normal(from: bits[l]), toByteOffset: a, as: Double.self)
          let s = r.state
          words.storeBytes(of: s.0, toByteOffset: a, as: UInt64.self)
          words.storeBytes(of: s.1, toByteOffset: vector + a, as: UInt64.self)
          words.storeBytes(of: s.2, toByteOffset: 2 * vector + a, as: UInt64.self)
          words.storeBytes(of: s.3, toByteOffset: 3 * vector + a, as: UInt64.self)
        }
      }
    }
  }

  /// Z[r, s] = b[r] + Σ_l W[r, l]·X[l, s] (W rows×inner, X inner×m): one fused chain per
  /// element, started at b[r] (or zero), l ascending — `Gemm.combine`'s order. Four columns at
  /// a time (four independent chains sharing each weight).
  @inline(__always)
  func affine(
    _ W: UnsafeMutablePointer<D>, _ b: UnsafeMutablePointer<D>?, rows: Int, inner: Int,
    _ X: UnsafeMutablePointer<D>, m: Int, into Z: UnsafeMutablePointer<D>
  ) {
    for r in 0..<rows {
      let start = b?[r] ?? D(repeating: 0)
      let wr = W + r &* inner
      let zr = Z + r &* m
      var s = 0
      while s &+ 4 <= m {
        var a0 = start
        var a1 = start
        var a2 = start
        var a3 = start
        var x = X + s
        for l in 0..<inner {
          let w = wr[l]
          a0 = a0.addingProduct(w, x[0])
          a1 = a1.addingProduct(w, x[1])
          a2 = a2.addingProduct(w, x[2])
          a3 = a3.addingProduct(w, x[3])
          x += m
        }
        zr[s] = a0
        zr[s &+ 1] = a1
        zr[s &+ 2] = a2
        zr[s &+ 3] = a3
        s &+= 4
      }
      while s < m {
        var acc = start
        var x = X + s
        for l in 0..<inner {
          acc = acc.addingProduct(wr[l], x[0])
          x += m
        }
        zr[s] = acc
        s &+= 1
      }
    }
  }

  /// S = K − Kᵀ from the parameters (`SkewLinear.skewPart`).
  @inline(__always)
  func skewPart() {
    for i in 0..<n {
      for j in 0..<n { S[i &* n &+ j] = theta[i &* n &+ j] - theta[j &* n &+ i] }
    }
  }

  /// Every column of Y (n×m) minus its mean: the rows summed in order from zero, times 1/n
  /// (`MeanRemoval.combine` with `Double.mean`).
  @inline(__always)
  func removeMeans(_ Y: UnsafeMutablePointer<D>, m: Int) {
    let inverse = D(repeating: 1 / Double(n))
    for s in 0..<m {
      var mean = D(repeating: 0)
      for i in 0..<n { mean += Y[i &* m &+ s] }
      mean = mean * inverse
      for i in 0..<n { Y[i &* m &+ s] -= mean }
    }
  }

  /// |x| in every lane (the sign bit cleared, as `abs`).
  @inline(__always)
  static func magnitude(_ x: D) -> D {
    unsafeBitCast(unsafeBitCast(x, to: U.self) & U(repeating: 0x7FFF_FFFF_FFFF_FFFF), to: D.self)
  }

  @inline(__always)
  func relu(_ Z: UnsafeMutablePointer<D>, _ count: Int) {
    let zero = D(repeating: 0)
    for i in 0..<count { Z[i] = Z[i].replacing(with: zero, where: .!(Z[i] .> zero)) }
  }

  /// gW = G·Xᵀ (chains from zero over the batch, s ascending) and gb[o] = Σ_s G[o, s] in four
  /// interleaved partial sums, as `Kernels.weightGradient` and `Kernels.sum`. Four columns of
  /// gW at a time (four independent chains sharing each G value).
  @inline(__always)
  func weightGradient(
    _ G: UnsafeMutablePointer<D>, rows: Int, _ X: UnsafeMutablePointer<D>, inner: Int, m: Int,
    gW: UnsafeMutablePointer<D>, gb: UnsafeMutablePointer<D>?
  ) {
    let zero = D(repeating: 0)
    for o in 0..<rows {
      let g = G + o &* m
      let out = gW + o &* inner
      var l = 0
      while l &+ 4 <= inner {
        var a0 = zero
        var a1 = zero
        var a2 = zero
        var a3 = zero
        let x0 = X + l &* m
        let x1 = x0 + m
        let x2 = x1 + m
        let x3 = x2 + m
        for s in 0..<m {
          let v = g[s]
          a0 = a0.addingProduct(v, x0[s])
          a1 = a1.addingProduct(v, x1[s])
          a2 = a2.addingProduct(v, x2[s])
          a3 = a3.addingProduct(v, x3[s])
        }
        out[l] = a0
        out[l &+ 1] = a1
        out[l &+ 2] = a2
        out[l &+ 3] = a3
        l &+= 4
      }
      while l < inner {
        let x = X + l &* m
        var acc = zero
        for s in 0..<m { acc = acc.addingProduct(g[s], x[s]) }
        out[l] = acc
        l &+= 1
      }
      if let gb {
        var s0 = zero
        var s1 = zero
        var s2 = zero
        var s3 = zero
        var s = 0
        while s &+ 4 <= m {
          s0 += g[s]
          s1 += g[s &+ 1]
          s2 += g[s &+ 2]
          s3 += g[s &+ 3]
          s &+= 4
        }
        while s < m {
          s0 += g[s]
          s &+= 1
        }
        gb[o] = (s0 + s1) + (s2 + s3)
      }
    }
  }

  /// D = Wᵀ·G (chains from zero, the rows of W ascending), then D = 0 where H ≤ 0 (or NaN).
  /// Four columns at a time.
  @inline(__always)
  func backpropagate(
    _ W: UnsafeMutablePointer<D>, rows: Int, inner: Int, _ G: UnsafeMutablePointer<D>, m: Int,
    into Dout: UnsafeMutablePointer<D>, mask H: UnsafeMutablePointer<D>
  ) {
    let zero = D(repeating: 0)
    @inline(__always) func masked(_ v: D, _ k: Int) -> D {
      v.replacing(with: zero, where: .!(H[k] .> zero))
    }
    for l in 0..<inner {
      let d = l &* m
      var s = 0
      while s &+ 4 <= m {
        var a0 = zero
        var a1 = zero
        var a2 = zero
        var a3 = zero
        var w = W + l
        var g = G + s
        for _ in 0..<rows {
          let v = w[0]
          a0 = a0.addingProduct(v, g[0])
          a1 = a1.addingProduct(v, g[1])
          a2 = a2.addingProduct(v, g[2])
          a3 = a3.addingProduct(v, g[3])
          w += inner
          g += m
        }
        Dout[d &+ s] = masked(a0, d &+ s)
        Dout[d &+ s &+ 1] = masked(a1, d &+ s &+ 1)
        Dout[d &+ s &+ 2] = masked(a2, d &+ s &+ 2)
        Dout[d &+ s &+ 3] = masked(a3, d &+ s &+ 3)
        s &+= 4
      }
      while s < m {
        var acc = zero
        var w = W + l
        var g = G + s
        for _ in 0..<rows {
          acc = acc.addingProduct(w[0], g[0])
          w += inner
          g += m
        }
        Dout[d &+ s] = masked(acc, d &+ s)
        s &+= 1
      }
    }
  }

  /// The optimiser's update in the lanes of `lanes` whose every new value is finite; returns
  /// which lanes' values were all finite.
  @inline(__always)
  func applyUpdate(eta: Double, t: Int, where lanes: Mask) -> Mask {
    let e = D(repeating: eta)
    var check = D(repeating: 0)
    switch update {
    case .sgd:
      for i in 0..<count {
        let y = theta[i] - e * grad[i]
        check += y - y
      }
      let ok = check .== D(repeating: 0)
      let apply = lanes .& ok
      for i in 0..<count {
        theta[i] = theta[i].replacing(with: theta[i] - e * grad[i], where: apply)
      }
      return ok
    case .momentum(let mu):
      let u = D(repeating: mu)
      let v = state
      for i in 0..<count {
        let vi = u * v[i] + grad[i]
        let y = theta[i] - e * vi
        check += (y - y) + (vi - vi)
      }
      let ok = check .== D(repeating: 0)
      let apply = lanes .& ok
      for i in 0..<count {
        let vi = u * v[i] + grad[i]
        v[i] = v[i].replacing(with: vi, where: apply)
        theta[i] = theta[i].replacing(with: theta[i] - e * vi, where: apply)
      }
      return ok
    case .adam(let beta1, let beta2, let epsilon):
      let m1 = state
      let v2 = state + count
      let c1 = D(repeating: 1 - pow(beta1, Double(t)))
      let c2 = D(repeating: 1 - pow(beta2, Double(t)))
      let b1 = D(repeating: beta1)
      let b2 = D(repeating: beta2)
      let a1 = D(repeating: 1 - beta1)
      let a2 = D(repeating: 1 - beta2)
      let eps = D(repeating: epsilon)
      for i in 0..<count {
        let g = grad[i]
        let mi = b1 * m1[i] + a1 * g
        let vi = b2 * v2[i] + a2 * g * g
        let y = theta[i] - e * (mi / c1) / ((vi / c2).squareRoot() + eps)
        check += (y - y) + (mi - mi) + (vi - vi)
      }
      let ok = check .== D(repeating: 0)
      let apply = lanes .& ok
      for i in 0..<count {
        let g = grad[i]
        let mi = b1 * m1[i] + a1 * g
        let vi = b2 * v2[i] + a2 * g * g
        let step = e * (mi / c1) / ((vi / c2).squareRoot() + eps)
        m1[i] = m1[i].replacing(with: mi, where: apply)
        v2[i] = v2[i].replacing(with: vi, where: apply)
        theta[i] = theta[i].replacing(with: theta[i] - step, where: apply)
      }
      return ok
    }
  }

  /// ‖NN(x_valid) − f(x_valid)‖ / ‖f(x_valid)‖ per lane, as `Trainer.aprioriError()`: the
  /// forward pass on one column, then `Kernels.norm`'s scaled norm and
  /// `StructureMetrics.relative`.
  @inline(__always)
  func aprioriError() -> D {
    let w = width
    let (_, ob1, oB2, ob2, oB3, ob3) = offsets
    if linear {
      if structure == .skew { skewPart() }
      affine(structure == .skew ? S : theta, nil, rows: n, inner: n, xvalid, m: 1, into: yv)
    } else if structure == .odd {
      // h on [x | −x] (two columns), then y = (u − v)/2 (`OddPart.combine`).
      let h1 = Dl
      let h2 = Dl + 2 * w
      let y2 = yv + n
      affine(theta, nil, rows: w, inner: n, xvalid2, m: 2, into: h1)
      relu(h1, 2 * w)
      affine(theta + oB2, nil, rows: w, inner: w, h1, m: 2, into: h2)
      relu(h2, 2 * w)
      affine(theta + oB3, nil, rows: n, inner: w, h2, m: 2, into: y2)
      let half = D(repeating: 0.5)
      for i in 0..<n { yv[i] = half * (y2[2 &* i] - y2[2 &* i &+ 1]) }
    } else {
      let h1 = Dl
      let h2 = Dl + w
      affine(theta, biases ? theta + ob1 : nil, rows: w, inner: n, xvalid, m: 1, into: h1)
      relu(h1, w)
      affine(theta + oB2, biases ? theta + ob2 : nil, rows: w, inner: w, h1, m: 1, into: h2)
      relu(h2, w)
      affine(theta + oB3, biases ? theta + ob3 : nil, rows: n, inner: w, h2, m: 1, into: yv)
      if structure == .mass { removeMeans(yv, m: 1) }
    }
    let zero = D(repeating: 0)
    var scale = zero
    var nan = Mask(repeating: false)
    for i in 0..<n {
      yv[i] -= fvalid[i]
      let v = Self.magnitude(yv[i])
      nan = nan .| (v .!= v)
      scale = scale.replacing(with: v, where: v .> scale)
    }
    var s = zero
    for i in 0..<n {
      let v = yv[i] / scale
      s += v * v
    }
    var num = scale * s.squareRoot()
    num = num.replacing(
      with: scale, where: (scale .== zero) .| (scale .== D(repeating: .infinity)))
    num = num.replacing(with: D(repeating: .nan), where: nan)
    var e = num / den
    let zeroDen = den .== zero
    e = e.replacing(with: D(repeating: .infinity), where: zeroDen)
    e = e.replacing(with: zero, where: zeroDen .& (num .== zero))
    return e
  }
}
