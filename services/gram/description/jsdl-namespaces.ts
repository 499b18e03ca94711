/** The JSDL 1.0 namespaces (GFD.56), and the HPC Basic Profile's application (GFD.111). */
export const JSDL_NAMESPACE = 'http://schemas.ggf.org/jsdl/2005/11/jsdl';
export const JSDL_POSIX_NAMESPACE = 'http://schemas.ggf.org/jsdl/2005/11/jsdl-posix';
export const JSDL_HPCPA_NAMESPACE = 'http://schemas.ggf.org/jsdl/2006/07/jsdl-hpcpa';
