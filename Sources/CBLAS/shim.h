#include <gsl/gsl_cblas.h>

/* OpenBLAS extensions, declared here because openblas's cblas.h clashes with gsl_cblas.h. */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
char *openblas_get_config(void);
