# Writes the portal's service worker (web/sw.js) for one build: the SHA-256 of each file of the
# portal's app shell and a build id made from them, so the worker's cache name changes whenever any
# of them does and the worker can refuse a file of another build.
#   cmake -DWEB_DIR=<build/wasm/web> -DSOURCE=<web/sw.js> -DOUTPUT=<.../sw.js> -P service_worker.cmake
# The set: "/" (index.html) and the files it loads; the store kiosk's and the staff console's own
# files are not in it.
set(_shell
  index.html style.css bridge.js portal_boot.js gl_render.js memberdesk_portal.js memberdesk_portal.wasm
  manifest.webmanifest fonts/ui-latin.ttf fonts/ui-lang.ttf fonts/ui-cjk.ttf
  icons/icon-192.png icons/icon-512.png)

set(_files "")
set(_all "")
foreach(rel IN LISTS _shell)
  if(NOT EXISTS "${WEB_DIR}/${rel}")
    message(FATAL_ERROR "service worker: ${WEB_DIR}/${rel} is missing")
  endif()
  file(SHA256 "${WEB_DIR}/${rel}" h)
  string(APPEND _all "${rel} ${h}\n")
  if(rel STREQUAL "index.html")
    string(APPEND _files "\"/\":\"${h}\",")
  endif()
  string(APPEND _files "\"/${rel}\":\"${h}\",")
endforeach()
string(REGEX REPLACE ",$" "" _files "${_files}")
string(SHA256 _id "${_all}")
string(SUBSTRING "${_id}" 0 16 _id)

file(READ "${SOURCE}" _sw)
string(REGEX REPLACE "var BUILD = \"[^\"]*\"; // @MD_BUILD@" "var BUILD = \"${_id}\"; // @MD_BUILD@" _sw "${_sw}")
string(REGEX REPLACE "var FILES = {[^\n]*}; // @MD_FILES@" "var FILES = {${_files}}; // @MD_FILES@" _sw "${_sw}")
if(NOT _sw MATCHES "${_id}")
  message(FATAL_ERROR "service worker: ${SOURCE} lacks the @MD_BUILD@ line")
endif()
set(_old "")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" _old)
endif()
if(NOT _old STREQUAL _sw)
  file(WRITE "${OUTPUT}" "${_sw}")
endif()
