package ios

import "strconv"

// iosVersionFamily returns the iOS release an Apple build number belongs to, as
// "major.minor", or "major" alone where the letter does not tell the minor release; "" when
// build is not one. Builds are <n><letter><number>: n is the major release (n - 4 up to
// iOS 18, whose builds are 22x; iOS 26 is 23x, named after the year), and from iOS 15 on
// the letter counts minor releases from A = .0. The last letter of a release also carries
// its later security updates (15.8 is 19H370, 16.7.x are 20H...), so read the result as
// "that minor release or a later update of it". No table of builds is bundled: the
// pattern needs no update for each release.
func iosVersionFamily(build string) string {
	i := 0
	for i < len(build) && build[i] >= '0' && build[i] <= '9' {
		i++
	}
	if i == 0 || i > 2 || i == len(build) || build[i] < 'A' || build[i] > 'Z' {
		return ""
	}
	n, _ := strconv.Atoi(build[:i])
	var major int
	switch {
	case n >= 9 && n <= 22: // iOS 5 to 18
		major = n - 4
	case n >= 23: // iOS 26 and the yearly numbers after it
		major = n + 3
	default:
		return ""
	}
	if n < 19 {
		return strconv.Itoa(major)
	}
	return strconv.Itoa(major) + "." + strconv.Itoa(int(build[i]-'A'))
}
