# Library flavours: backend modules built against pinned upstream releases
# of their TLS library, beside the module built against the system library.
#
#   -DPOLYTLS_FLAVOURS=all                          every pinned flavour
#   -DPOLYTLS_FLAVOURS="openssl@3.5.7;wolfssl@5.9.2" a list
#   (empty, the default)                            system libraries only
#
# A pin is backends/FAMILY/flavours/VERSION.pin; tools/flavours/flavour.sh
# fetches, verifies, builds and caches the library (outside the build tree,
# so a second configure takes seconds) and prints its install prefix.
#
# Isolation: two versions of one library share thousands of symbols (and
# OpenSSL 3.0 and 3.5 the soname libssl.so.3), so each flavour module links
# its library statically, hides every symbol of it (--exclude-libs,ALL) and
# exports only the entry symbol (flavour_module.map).

set(POLYTLS_FLAVOURS "" CACHE STRING
    "Library flavours to build: 'all' or a ;-list of FAMILY@VERSION (pins in backends/FAMILY/flavours/)")

# Pins whose backend does not build against that version yet: 'all' leaves
# them out, naming them asks for a configure error.
set(POLYTLS_FLAVOURS_NOT_READY "")

file(GLOB _pins RELATIVE ${PROJECT_SOURCE_DIR}/backends ${PROJECT_SOURCE_DIR}/backends/*/flavours/*.pin)
set(POLYTLS_PINNED_FLAVOURS "")
foreach(p ${_pins})
  string(REGEX REPLACE "^([^/]+)/flavours/(.+)\\.pin$" "\\1@\\2" _f "${p}")
  list(APPEND POLYTLS_PINNED_FLAVOURS ${_f})
endforeach()

# polytls_module_target(NAME OUTVAR): CMake target of the module serving
# -backend NAME ("openssl" -> polytls-openssl, "openssl@3.5.7" ->
# polytls-openssl-3.5.7; target names cannot hold '@').
function(polytls_module_target name outvar)
  string(REPLACE "@" "-" _t "polytls-${name}")
  set(${outvar} ${_t} PARENT_SCOPE)
endfunction()

# polytls_prepare_flavours(): resolves POLYTLS_FLAVOURS, builds what is not
# cached, and sets for each flavour FAMILY@VERSION:
#   POLYTLS_FLAVOUR_VERSIONS_<FAMILY>  versions requested of that family
#   POLYTLS_FLAVOUR_PREFIX_<FAMILY>_<VERSION>  its install prefix
#   POLYTLS_REQUESTED_FLAVOURS  every requested FAMILY@VERSION
macro(polytls_prepare_flavours)
  set(_req "${POLYTLS_FLAVOURS}")
  if(_req STREQUAL "all")
    set(_req ${POLYTLS_PINNED_FLAVOURS})
    list(REMOVE_ITEM _req ${POLYTLS_FLAVOURS_NOT_READY})
  endif()
  set(POLYTLS_REQUESTED_FLAVOURS "")
  foreach(f ${_req})
    list(FIND POLYTLS_PINNED_FLAVOURS ${f} _i)
    if(_i EQUAL -1)
      message(FATAL_ERROR "Unknown flavour '${f}' in POLYTLS_FLAVOURS (pinned: ${POLYTLS_PINNED_FLAVOURS})")
    endif()
    list(FIND POLYTLS_FLAVOURS_NOT_READY ${f} _i)
    if(NOT _i EQUAL -1)
      message(FATAL_ERROR "Flavour '${f}': its backend does not build against this library version yet")
    endif()
    string(REGEX REPLACE "@.*" "" _fam "${f}")
    string(REGEX REPLACE ".*@" "" _ver "${f}")
    message(STATUS "  ${f}: preparing (tools/flavours/flavour.sh prepare ${_fam} ${_ver})")
    execute_process(
      COMMAND ${PROJECT_SOURCE_DIR}/tools/flavours/flavour.sh prepare ${_fam} ${_ver}
      OUTPUT_VARIABLE _prefix OUTPUT_STRIP_TRAILING_WHITESPACE
      RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "Flavour '${f}' could not be fetched or built (messages above)")
    endif()
    message(STATUS "  ${f}: ${_prefix} -> building")
    list(APPEND POLYTLS_FLAVOUR_VERSIONS_${_fam} ${_ver})
    set(POLYTLS_FLAVOUR_PREFIX_${_fam}_${_ver} ${_prefix})
    list(APPEND POLYTLS_REQUESTED_FLAVOURS ${f})
  endforeach()
endmacro()

# polytls_add_flavour_modules(FAMILY SOURCES ...): one module per requested
# version of FAMILY, linked statically against that flavour's library.
function(polytls_add_flavour_modules family)
  cmake_parse_arguments(B "" "" "SOURCES" ${ARGN})
  foreach(ver ${POLYTLS_FLAVOUR_VERSIONS_${family}})
    set(_prefix ${POLYTLS_FLAVOUR_PREFIX_${family}_${ver}})
    set(_pin ${PROJECT_SOURCE_DIR}/backends/${family}/flavours/${ver}.pin)
    file(STRINGS ${_pin} _libs REGEX "^LIBRARIES=")
    file(STRINGS ${_pin} _sys REGEX "^SYSTEM_LIBRARIES=")
    string(REGEX REPLACE "^LIBRARIES=\"?([^\"]*)\"?$" "\\1" _libs "${_libs}")
    string(REGEX REPLACE "^SYSTEM_LIBRARIES=\"?([^\"]*)\"?$" "\\1" _sys "${_sys}")
    separate_arguments(_libs UNIX_COMMAND "${_libs}")
    separate_arguments(_sys UNIX_COMMAND "${_sys}")
    set(_static "")
    foreach(l ${_libs})
      list(APPEND _static ${_prefix}/${l})
    endforeach()
    polytls_add_backend(${family}@${ver}
      SOURCES ${B_SOURCES}
      INCLUDES ${_prefix}/include
      LIBRARIES ${_static} ${_sys})
    polytls_module_target(${family}@${ver} _t)
    target_link_options(${_t} PRIVATE -Wl,--exclude-libs,ALL)
    target_compile_definitions(${_t} PRIVATE PTLS_FLAVOUR_PREFIX="${_prefix}")
  endforeach()
endfunction()
