# Sets skeleton_FOUND, skeleton_VERSION, skeleton_DEBIAN_PACKAGE, without
# failing when the library is missing. A real backend looks for its library
# here (find_package, pkg_check_modules with QUIET); the skeleton needs none.
set(skeleton_DEBIAN_PACKAGE "")
set(skeleton_FOUND TRUE)
set(skeleton_VERSION "skeleton 0")
