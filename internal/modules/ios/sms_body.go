package ios

import (
	"strings"

	"github.com/vigil-project/vigil/internal/format/typedstream"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
)

// addBody completes a message from its attributedBody: the text when iOS left the text column
// empty, and links when the text holds none. Every string of the archive is searched, because
// a link attribute can carry a URL that the visible text does not show.
func (m *SMSMessage) addBody(body []byte) error {
	if m.Text != "" {
		m.TextSource = FromText
		m.addLinks(m.Text, FromText)
	}
	if len(m.Links) > 0 || len(body) == 0 {
		return nil
	}
	if m.Text == "" {
		text, err := typedstream.Text(body)
		if err != nil {
			return err
		}
		if text != "" {
			m.Text, m.TextSource = text, FromAttributedBody
			m.addLinks(text, FromAttributedBody)
		}
	}
	strs, err := typedstream.Strings(body)
	if err != nil {
		return err
	}
	for _, s := range strs {
		m.addLinks(s, FromAttributedBody)
	}
	return nil
}

// addLinks appends the links of s that the message does not have yet.
func (m *SMSMessage) addLinks(s, source string) {
next:
	for _, u := range ioc.ExtractURLs(s) {
		for _, l := range m.Links {
			if l.URL == u {
				continue next
			}
		}
		m.Links = append(m.Links, SMSLink{URL: u, Source: source})
	}
}

// threatNotificationPrefixes open the messages Apple sends to users it believes were targeted
// by state-sponsored or mercenary spyware.
var threatNotificationPrefixes = []string{
	"ALERT: State-sponsored attackers may be targeting your iPhone",
	"ALERT: Apple detected a targeted mercenary spyware attack against your iPhone",
}

const appleThreatNotifications = "Apple, About Apple threat notifications and protecting against " +
	"mercenary spyware (https://support.apple.com/en-us/102174)"

// threatNotification returns a high detection when m is an Apple threat notification.
func threatNotification(m SMSMessage) (module.Detection, bool) {
	text := strings.TrimSpace(m.Text)
	for _, p := range threatNotificationPrefixes {
		if strings.HasPrefix(text, p) {
			return module.Detection{
				Severity: module.High,
				Message: "Apple sent a threat notification: it believes state-sponsored or " +
					"mercenary-spyware attackers targeted this iPhone",
				Time:      m.Date,
				Evidence:  p,
				Reference: appleThreatNotifications,
				Record:    m,
			}, true
		}
	}
	return module.Detection{}, false
}
