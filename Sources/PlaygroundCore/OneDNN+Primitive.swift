import CDNNL

/// A oneDNN primitive (a convolution step, a reorder) and the scratch memory it asks for at each
/// execution, which the caller passes (``OneDNN/scratchpad(bytes:)``).
struct OneDNNPrimitive {
  let handle: dnnl_primitive_t
  /// The scratchpad's descriptor; zero bytes when it needs none.
  var scratchpad: dnnl_memory_desc_t
  let scratchpadBytes: Int
}

extension OneDNN {
  /// The primitive of `descriptor` (created with ``attributes``), or `nil` when oneDNN refuses.
  func makePrimitive(_ descriptor: dnnl_primitive_desc_t) -> OneDNNPrimitive? {
    var primitive: dnnl_primitive_t?
    guard api.primitiveCreate(&primitive, descriptor) == dnnl_success, let primitive,
      var scratchpad = api.primitiveDescQueryMD(descriptor, dnnl_query_scratchpad_md, 0)?.pointee
    else { return nil }
    return OneDNNPrimitive(
      handle: primitive, scratchpad: scratchpad,
      scratchpadBytes: api.memoryDescGetSize(&scratchpad))
  }
}
