import PlaygroundKernels

extension Tensor {
  /// Combines two tensors element-wise with broadcasting. `derivatives(a, b, g)` returns the
  /// gradient contributions to `a` and `b` of one output element whose gradient is `g`.
  func elementwise(
    _ other: Tensor, _ name: String, _ function: (Float, Float) -> Float,
    derivatives: @escaping (_ a: Float, _ b: Float, _ g: Float) -> (Float, Float)
  ) -> Tensor {
    let a = self
    let b = other
    guard let shape = Broadcasting.shape(a.shape, b.shape) else {
      preconditionFailure("\(name): shapes \(a.shape) and \(b.shape) do not broadcast")
    }
    let count = shape.reduce(1, *)
    // Offsets into each operand for every output element; nil where the operand is not stretched.
    let offsetsA = a.shape == shape ? nil : Broadcasting.offsets(from: a.shape, to: shape)
    let offsetsB = b.shape == shape ? nil : Broadcasting.offsets(from: b.shape, to: shape)
    var output = [Float](repeating: 0, count: count)
    a.scalars.withUnsafeBufferPointer { x in
      b.scalars.withUnsafeBufferPointer { y in
        output.withUnsafeMutableBufferPointer { out in
          switch (offsetsA, offsetsB) {
          case (nil, nil):
            for i in 0..<count { out[i] = function(x[i], y[i]) }
          case (nil, let ob?):
            for i in 0..<count { out[i] = function(x[i], y[ob[i]]) }
          case (let oa?, nil):
            for i in 0..<count { out[i] = function(x[oa[i]], y[i]) }
          case (let oa?, let ob?):
            for i in 0..<count { out[i] = function(x[oa[i]], y[ob[i]]) }
          }
        }
      }
    }
    return .result(shape: shape, scalars: output, inputs: [a, b]) { g in
      var da = [Float](repeating: 0, count: a.count)
      var db = [Float](repeating: 0, count: b.count)
      a.scalars.withUnsafeBufferPointer { x in
        b.scalars.withUnsafeBufferPointer { y in
          da.withUnsafeMutableBufferPointer { da in
            db.withUnsafeMutableBufferPointer { db in
              for i in 0..<count {
                let ia = offsetsA?[i] ?? i
                let ib = offsetsB?[i] ?? i
                let (ga, gb) = derivatives(x[ia], y[ib], g[i])
                da[ia] += ga
                db[ib] += gb
              }
            }
          }
        }
      }
      if a.requiresGrad { a.accumulateGradient(da) }
      if b.requiresGrad { b.accumulateGradient(db) }
    }
  }

  /// Element-wise sum with broadcasting.
  public static func + (a: Tensor, b: Tensor) -> Tensor {
    guard a.shape == b.shape else { return a.elementwise(b, "+", +) { _, _, g in (g, g) } }
    // Equal shapes (a residual connection): one vectorized pass, the gradient passed on as is.
    let sum = [Float](unsafeUninitializedCapacity: a.count) { y, initialized in
      a.scalars.withUnsafeBufferPointer { a in
        b.scalars.withUnsafeBufferPointer { b in
          Parallel.forEachElementChunk(a.count) {
            let start = $0.lowerBound
            playground_add_into(
              a.baseAddress! + start, b.baseAddress! + start, y.baseAddress! + start, $0.count)
          }
        }
      }
      initialized = a.count
    }
    return .result(shape: a.shape, scalars: sum, inputs: [a, b]) { g in
      a.accumulateGradient(g)
      b.accumulateGradient(g)
    }
  }
  /// Element-wise difference with broadcasting.
  public static func - (a: Tensor, b: Tensor) -> Tensor {
    a.elementwise(b, "-", -) { _, _, g in (g, -g) }
  }
  /// Element-wise product with broadcasting.
  public static func * (a: Tensor, b: Tensor) -> Tensor {
    a.elementwise(b, "*", *) { x, y, g in (g * y, g * x) }
  }
  /// Element-wise quotient with broadcasting.
  public static func / (a: Tensor, b: Tensor) -> Tensor {
    a.elementwise(b, "/", /) { x, y, g in (g / y, -g * x / (y * y)) }
  }
  /// The element-wise maximum with broadcasting; ties send the gradient to `a`.
  public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
    a.elementwise(b, "maximum", { Swift.max($0, $1) }) { x, y, g in x >= y ? (g, 0) : (0, g) }
  }
  /// The element-wise minimum with broadcasting; ties send the gradient to `a`.
  public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
    a.elementwise(b, "minimum", { Swift.min($0, $1) }) { x, y, g in x <= y ? (g, 0) : (0, g) }
  }

  /// Negation.
  public static prefix func - (a: Tensor) -> Tensor { a.scaled(by: -1) }
  public static func + (a: Tensor, c: Float) -> Tensor { a.adding(c) }
  public static func + (c: Float, a: Tensor) -> Tensor { a.adding(c) }
  public static func - (a: Tensor, c: Float) -> Tensor { a.adding(-c) }
  public static func - (c: Float, a: Tensor) -> Tensor { a.scaled(by: -1).adding(c) }
  public static func * (a: Tensor, c: Float) -> Tensor { a.scaled(by: c) }
  public static func * (c: Float, a: Tensor) -> Tensor { a.scaled(by: c) }
  public static func / (a: Tensor, c: Float) -> Tensor { a.scaled(by: 1 / c) }
}
