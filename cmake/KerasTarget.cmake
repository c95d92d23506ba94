# keras_target(<target>): the warning and sanitizer flags every target of ours
# carries. Warnings stay at zero under -Wall -Wextra.
function(keras_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(KERAS_SANITIZE)
    # GCC 12 reports false "may be used uninitialized" warnings inside
    # std::variant once the sanitizers instrument it; they are not ours.
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined
                                             -Wno-maybe-uninitialized)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
