// A shared library for dlopen: built plain and with an executable stack.
int lib_hello(void);
int lib_hello(void) { return 42; }
