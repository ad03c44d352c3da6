// The CBLAS declarations of Debian's libopenblas-dev (/usr/include/<triplet>/cblas.h).
// Only the types are used from Swift: the functions are looked up with dlsym after the
// library is opened, so nothing here is linked.
#include <cblas.h>

// OpenBLAS extensions, looked up the same way.
typedef char *(*playground_openblas_get_corename_fn)(void);
typedef void (*playground_openblas_set_num_threads_fn)(int);
