// The C API of Debian's libdnnl-dev (oneDNN 2.6, /usr/include/oneapi/dnnl/dnnl.h).
// Only the types are used from Swift: the library is opened with dlopen and its functions looked
// up with dlsym (see PlaygroundCore's `OneDNN.swift`), so nothing here is linked. Opening it at
// run time lets the OpenMP runtime it brings (libgomp) read settings chosen first, and lets the
// playground run on OpenBLAS alone where oneDNN is not installed.
#include <oneapi/dnnl/dnnl.h>

// The type of a pointer to each function the playground calls.
#define PLAYGROUND_DNNL_FN(name) typedef __typeof__(&name) playground_##name##_fn
PLAYGROUND_DNNL_FN(dnnl_engine_create);
PLAYGROUND_DNNL_FN(dnnl_stream_create);
PLAYGROUND_DNNL_FN(dnnl_stream_wait);
PLAYGROUND_DNNL_FN(dnnl_memory_desc_init_by_tag);
PLAYGROUND_DNNL_FN(dnnl_memory_desc_equal);
PLAYGROUND_DNNL_FN(dnnl_memory_desc_get_size);
PLAYGROUND_DNNL_FN(dnnl_memory_create);
PLAYGROUND_DNNL_FN(dnnl_memory_destroy);
PLAYGROUND_DNNL_FN(dnnl_convolution_forward_desc_init);
PLAYGROUND_DNNL_FN(dnnl_convolution_backward_data_desc_init);
PLAYGROUND_DNNL_FN(dnnl_convolution_backward_weights_desc_init);
PLAYGROUND_DNNL_FN(dnnl_deconvolution_forward_desc_init);
PLAYGROUND_DNNL_FN(dnnl_deconvolution_backward_data_desc_init);
PLAYGROUND_DNNL_FN(dnnl_deconvolution_backward_weights_desc_init);
PLAYGROUND_DNNL_FN(dnnl_matmul_desc_init);
PLAYGROUND_DNNL_FN(dnnl_pooling_forward_desc_init);
PLAYGROUND_DNNL_FN(dnnl_inner_product_forward_desc_init);
PLAYGROUND_DNNL_FN(dnnl_primitive_attr_create);
PLAYGROUND_DNNL_FN(dnnl_primitive_attr_set_scratchpad_mode);
PLAYGROUND_DNNL_FN(dnnl_primitive_attr_destroy);
PLAYGROUND_DNNL_FN(dnnl_primitive_attr_set_output_scales);
PLAYGROUND_DNNL_FN(dnnl_primitive_attr_set_post_ops);
PLAYGROUND_DNNL_FN(dnnl_post_ops_create);
PLAYGROUND_DNNL_FN(dnnl_post_ops_destroy);
PLAYGROUND_DNNL_FN(dnnl_post_ops_append_eltwise);
PLAYGROUND_DNNL_FN(dnnl_primitive_desc_create);
PLAYGROUND_DNNL_FN(dnnl_primitive_desc_query_md);
PLAYGROUND_DNNL_FN(dnnl_primitive_create);
PLAYGROUND_DNNL_FN(dnnl_primitive_destroy);
PLAYGROUND_DNNL_FN(dnnl_primitive_desc_destroy);
PLAYGROUND_DNNL_FN(dnnl_primitive_execute);
PLAYGROUND_DNNL_FN(dnnl_reorder_primitive_desc_create);
PLAYGROUND_DNNL_FN(dnnl_sgemm);
PLAYGROUND_DNNL_FN(dnnl_version);
PLAYGROUND_DNNL_FN(dnnl_get_effective_cpu_isa);

// libgomp's, looked up through the library that brings it.
typedef void (*playground_omp_set_num_threads_fn)(int);
